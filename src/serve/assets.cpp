#include "serve/assets.hpp"

namespace arxiv_digest::serve {
namespace {

// Plain and small: system fonts, one column that wraps (no horizontal scroll on a 390 px phone),
// dark colours under prefers-color-scheme, a focus ring that is always visible.
constexpr std::string_view kCss = R"css(:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1b1b1b; --muted: #5c5c5c; --link: #0645ad; --mark: #fff1a8;
  --line: #dddddd; --card: #f7f7f7; --focus: #d35400;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #15171a; --fg: #e6e6e6; --muted: #a0a0a0; --link: #8ab4f8; --mark: #5c4b00;
    --line: #33373d; --card: #1e2125; --focus: #ffa94d;
  }
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0 auto; max-width: 52rem; padding: 0 1rem 2rem; background: var(--bg); color: var(--fg);
  font: 16px/1.55 system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", sans-serif;
  overflow-wrap: anywhere;
}
a { color: var(--link); }
a:focus-visible, button:focus-visible, input:focus-visible, article:focus {
  outline: 3px solid var(--focus); outline-offset: 2px;
}
header.top { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; padding: .75rem 0;
  border-bottom: 1px solid var(--line); }
header.top .home { font-weight: 700; text-decoration: none; }
form.search { display: flex; flex: 1 1 14rem; gap: .25rem; min-width: 0; }
form.search input { flex: 1 1 auto; min-width: 0; }
button { flex: none; white-space: nowrap; overflow-wrap: normal; }
input, button { font: inherit; color: inherit; background: var(--card); border: 1px solid var(--line);
  border-radius: 4px; padding: .25rem .5rem; max-width: 100%; }
form.filters { display: flex; flex-wrap: wrap; gap: .5rem; }
h1 { font-size: 1.5rem; }
h2 { font-size: 1.2rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
h3 { font-size: 1.05rem; margin: 0 0 .25rem; }
.count, .meta, .cats, .why, .summary, footer.help { color: var(--muted); font-size: .9rem; }
nav.topics ul, ul.dates { padding-left: 1.2rem; }
nav.lang a { margin-right: .5rem; }
nav.lang strong.current { margin-right: .5rem; }
article.paper { background: var(--card); border: 1px solid var(--line); border-radius: 6px;
  padding: .75rem 1rem; margin: .75rem 0; }
.cat { display: inline-block; border: 1px solid var(--line); border-radius: 3px; padding: 0 .3rem;
  margin: 0 .2rem .2rem 0; }
.abstract { margin: .5rem 0 0; }
.zh { font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; }
mark { background: var(--mark); color: inherit; padding: 0 .1em; }
table.versions { border-collapse: collapse; width: 100%; }
table.versions th, table.versions td { border-bottom: 1px solid var(--line); padding: .25rem; text-align: left; }
.katex-display { overflow-x: auto; overflow-y: hidden; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
.error { color: #c0392b; }
)css";

// Optional: the pages read and work without it. Starts KaTeX (no inline script under the CSP)
// and adds keys: j / k move between papers, / focuses the search box.
constexpr std::string_view kJs = R"js('use strict';
document.addEventListener('DOMContentLoaded', () => {
  if (typeof renderMathInElement === 'function') {
    renderMathInElement(document.body, {
      delimiters: [
        { left: '$$', right: '$$', display: true },
        { left: '$', right: '$', display: false },
      ],
      ignoredTags: ['script', 'noscript', 'style', 'textarea', 'pre', 'code', 'input'],
      throwOnError: false,
    });
  }
  const papers = () => Array.from(document.querySelectorAll('article.paper'));
  document.addEventListener('keydown', (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target;
    if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement) return;
    if (event.key === '/') {
      const box = document.querySelector('form.search input');
      if (box) { event.preventDefault(); box.focus(); }
      return;
    }
    if (event.key !== 'j' && event.key !== 'k') return;
    const list = papers();
    if (list.length === 0) return;
    const current = list.indexOf(document.activeElement);
    let next = event.key === 'j' ? current + 1 : current - 1;
    if (current < 0) next = event.key === 'j' ? 0 : list.length - 1;
    next = Math.max(0, Math.min(list.length - 1, next));
    list[next].focus();
    list[next].scrollIntoView({ block: 'nearest' });
    event.preventDefault();
  });
});
)js";

}  // namespace

std::optional<Asset> builtin_asset(std::string_view name) noexcept {
  if (name == "serve.css") return Asset{"text/css; charset=utf-8", kCss};
  if (name == "serve.js") return Asset{"text/javascript; charset=utf-8", kJs};
  return std::nullopt;
}

}  // namespace arxiv_digest::serve
