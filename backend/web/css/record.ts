/**
 * The contact and account pages (/c/:id, /companies/:id): the card's sections
 * in two columns on a wide screen and one on a phone, the fields as a list of
 * terms, the timeline as a list with its kind first. No script: their forms
 * work as they are (a Merge asks first through the base script's data-confirm).
 */
export const recordAssets = {
  css: `
.record .subtitle{margin:-.75rem 0 1rem}
.record .card>h2:first-child{margin-top:0}.record .card ul.plain>li:last-child{border-bottom:none;padding-bottom:0}
.record .columns{display:grid;grid-template-columns:1fr;gap:0 1rem}
@media (min-width:52rem){.record .columns{grid-template-columns:3fr 2fr}}
.record dl.fields{display:grid;grid-template-columns:minmax(7rem,max-content) 1fr;gap:.35rem 1rem;margin:0}
.record dl.fields dt{font-weight:600;color:var(--muted)}.record dl.fields dd{margin:0;overflow-wrap:anywhere}
@media (max-width:30rem){.record dl.fields{grid-template-columns:1fr}.record dl.fields dd{margin-bottom:.4rem}}
ul.inline{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem .75rem}
ul.inline.tags li{background:#e8eef8;border-radius:4px;padding:0 .4rem}
.record details>summary{cursor:pointer;list-style:revert}.record details>summary h2{display:inline;margin:0;font-size:1.15rem}
.record form.stack input:not([type=hidden]),.record form.stack select{width:100%}
.record .hint{margin:.2rem 0 .5rem;font-size:.9rem}
.problem{border:1px solid var(--bad);background:#fdf1f0;color:var(--bad);border-radius:6px;padding:.5rem .75rem}
.record .follow-up p{margin:.1rem 0}.record .overdue{color:var(--bad)}
.record .actions{margin-top:.35rem}.record .actions form{margin:0}.record .inline-label{display:inline;font-weight:400;margin:0}
.record .filter{margin:.5rem 0}.record .filter label{display:inline;margin:0}
ol.timeline{list-style:none;margin:0;padding:0}
ol.timeline>li{background:#fff;border:1px solid var(--line);border-left:4px solid var(--line);border-radius:6px;padding:.5rem .75rem;margin:0 0 .5rem}
ol.timeline>li.kind-email{border-left-color:#1d5fbf}ol.timeline>li.kind-slack{border-left-color:#6b3fa0}ol.timeline>li.kind-call{border-left-color:#1e6b3a}
ol.timeline>li.kind-meeting{border-left-color:#9a5b00}ol.timeline>li.kind-note{border-left-color:#5b6675}
ol.timeline p{margin:.15rem 0;overflow-wrap:anywhere}ol.timeline .meta{color:var(--muted);font-size:.9rem}
ol.timeline .kind{font-weight:600;color:var(--ink)}ol.timeline .subject{font-weight:600}
.badge{display:inline-block;margin-left:.4rem;padding:0 .4rem;border-radius:4px;background:#5b6675;color:#fff;font-size:.8rem}
.pager{justify-content:space-between;margin:1rem 0}
`,
};
