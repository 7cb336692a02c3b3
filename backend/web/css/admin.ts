/**
 * The admin pages' rules, and their one script: an import's page follows
 * the import by fetching itself and putting the new status in place (no
 * inline code; without the script, its Refresh link does the same).
 */
const css = `
nav.admin-nav ul{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;margin:0 0 .5rem;padding:0;border-bottom:1px solid var(--line)}
nav.admin-nav a{display:inline-block;padding:.35rem 0;text-decoration:none}
nav.admin-nav a[aria-current=page]{font-weight:700;border-bottom:3px solid var(--accent);color:var(--ink)}
.admin-table tr.inactive td{color:var(--muted)}
form.card>p:first-of-type,div.card>p:first-child{margin-top:0}
.notice{padding:.5rem .75rem;border-radius:6px;background:#fff;border:1px solid var(--line)}
.fields{display:grid;grid-template-columns:repeat(auto-fill,minmax(14rem,1fr));gap:0 1rem}
.fields input,.fields select{width:100%}
fieldset{border:none;margin:0;padding:0}legend{font-weight:600;margin:.25rem 0}
.choice{display:flex;gap:.5rem;align-items:center;margin:.25rem 0}.choice label{display:inline;font-weight:400;margin:0}
textarea{width:100%}
button.danger{background:var(--bad);border-color:var(--bad)}
.badge{display:inline-block;white-space:nowrap;padding:0 .4rem;border-radius:4px;border:1px solid var(--line);background:#fff}
.status-failed,.status-reconnect{border-color:var(--bad);color:var(--bad)}.status-active{color:var(--good)}
progress{width:100%;height:1.25rem}
ul.report>li{padding:.3rem 0}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (max-width:40rem){.admin-table td[data-label]::before{content:attr(data-label) ": ";font-weight:600}}
`;

const js = `
(function(){var live=document.getElementById('import-live');if(!live||!live.querySelector('[data-import-running]'))return;
function tick(){fetch(location.href,{credentials:'same-origin'}).then(function(r){return r.text();}).then(function(html){
var doc=new DOMParser().parseFromString(html,'text/html');var next=doc.getElementById('import-live');if(!next)return;
live.replaceChildren.apply(live,Array.prototype.slice.call(next.childNodes));
if(live.querySelector('[data-import-running]'))setTimeout(tick,700);}).catch(function(){setTimeout(tick,2000);});}
setTimeout(tick,700);})();
`;

export const admin = { css, js };
