/**
 * The home page (search as you type, my follow-ups) and the pipeline
 * (/deals): their rules, and the script that fetches /search as you type
 * (after a pause of 200 ms, the latest answer only; the plain GET form
 * works without it).
 */
const css = `
.visually-hidden{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
form.search .row input[type=search]{flex:1 1 16rem;min-width:0}
.search-results h2{font-size:1.05rem}
.search-results .results{display:grid;grid-template-columns:1fr 1fr;gap:0 1.5rem}
.search-results h3,.followups h3{font-size:1rem;margin:.75rem 0 .25rem}
.followups .count{color:var(--muted);font-weight:400}
li.followup p{margin:.15rem 0}li.followup form{display:flex;flex-wrap:wrap;gap:.5rem;margin:0}li.followup>.row{margin-top:.35rem}
li.followup button{padding:.3rem .7rem}
.followups.overdue h3{color:var(--bad)}
main:has(.pipeline){max-width:none}
form.filters{display:flex;flex-wrap:wrap;gap:.5rem 1.25rem;align-items:flex-end;margin:0 0 .5rem}
.period{margin:0 0 .75rem}
form.filters fieldset{border:none;margin:0;padding:0}form.filters legend{font-weight:600;padding:0;margin:0 0 .25rem}
form.filters fieldset label{display:inline-flex;gap:.3rem;align-items:center;font-weight:400;margin:0 .9rem 0 0}
form.filters label{margin-top:0}
.pipeline{display:grid;grid-auto-flow:column;grid-auto-columns:minmax(15rem,1fr);gap:.75rem;overflow-x:auto;padding-bottom:.5rem}
.stage{background:#eef1f5;border-radius:8px;padding:.5rem .6rem;min-width:0}
.stage h2{font-size:1.05rem;margin:.25rem 0}.stage h2 .count{color:var(--muted);font-weight:400;font-size:.9rem}
.stage .totals{margin:0 0 .5rem;font-weight:600}
.stage ul.plain>li{border:1px solid var(--line);border-radius:6px;background:#fff;padding:.5rem;margin:0 0 .5rem}
.deal h3{font-size:1rem;margin:0 0 .2rem;overflow-wrap:anywhere}.deal p{margin:.1rem 0;overflow-wrap:anywhere}
.deal .amount{font-weight:600}
.deal form{display:flex;flex-wrap:wrap;gap:.35rem;margin:.4rem 0 0}.deal select{flex:1 1 8rem;min-width:0}.deal button{padding:.3rem .7rem}
@media (max-width:40rem){.search-results .results{grid-template-columns:1fr}.pipeline{grid-auto-flow:row;grid-auto-columns:auto;overflow-x:visible}}
`;

const js = `
(function(){
  var input=document.querySelector('input[data-live-search]');
  if(!input||!window.fetch)return;
  var box=document.getElementById(input.getAttribute('aria-controls'));
  var timer=0,seq=0;
  function show(q,html){box.innerHTML=html;history.replaceState(null,'',q?'/?q='+encodeURIComponent(q):'/');}
  input.addEventListener('input',function(){
    clearTimeout(timer);
    timer=setTimeout(function(){
      var q=input.value.trim();var n=++seq;
      if(!q){show('','');return;}
      fetch(input.getAttribute('data-live-search')+'?q='+encodeURIComponent(q),{credentials:'same-origin',redirect:'manual'})
        .then(function(r){return r.type!=='opaqueredirect'&&r.status<500?r.text():null;})
        .then(function(html){if(html!==null&&n===seq)show(q,html);})
        .catch(function(){});
    },200);
  });
})();
`;

export const homeArea = { css, js };
