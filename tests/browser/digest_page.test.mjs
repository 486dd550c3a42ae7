// The digest as a web page, end to end in headless Chromium: the real `arxiv-digest run` on the
// bundled sample day (served by the fixture server on 127.0.0.1) writes html, email-html and atom
// with KaTeX configured; the page is opened over file:// (how a reader opens the folder) and
// checked: title, 30 papers, topic anchors that scroll, math rendered by the local KaTeX, no
// request leaving file:/127.0.0.1, no console error, no horizontal scroll at 390 px, a different
// background in dark mode. Screenshots of the page and the email at 390x844 and 1280x900 go to
// --artifacts and are checked to be real PNGs with content.
//
// Run by ctest (tests/browser/CMakeLists.txt). Exits 77 (ctest's SKIP_RETURN_CODE) only when
// Chromium or node_modules (scripts/setup's `npm ci`) is missing; any failed check exits 1.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const SKIP = 77;
const CHROMIUM = '/usr/bin/chromium';

const { values: opt } = parseArgs({
  options: {
    binary: { type: 'string' },
    'fixture-server': { type: 'string' },
    'sample-day': { type: 'string' },
    katex: { type: 'string' },
    artifacts: { type: 'string' },
  },
});
for (const key of ['binary', 'fixture-server', 'sample-day', 'katex', 'artifacts']) {
  if (!opt[key]) {
    console.error(`usage: --${key} is required`);
    process.exit(2);
  }
  opt[key] = path.resolve(opt[key]);
}

if (!existsSync(CHROMIUM)) {
  console.log(`SKIP: ${CHROMIUM} is missing (scripts/setup installs chromium)`);
  process.exit(SKIP);
}
let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch (e) {
  console.log(`SKIP: playwright-core is not installed (run scripts/setup, which runs npm ci): ${e.message}`);
  process.exit(SKIP);
}

const failures = [];
function check(condition, what) {
  if (condition) console.log(`ok   ${what}`);
  else {
    console.log(`FAIL ${what}`);
    failures.push(what);
  }
}

// --- The digest, written by the real binary -------------------------------------------------
const work = path.join(opt.artifacts, 'browser-run');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

const server = spawn(opt['fixture-server'], [opt['sample-day']], { stdio: ['ignore', 'pipe', 'inherit'] });
process.on('exit', () => server.kill());  // also when the script dies of an uncaught error
const baseUrl = await new Promise((resolve, reject) => {
  let out = '';
  server.stdout.on('data', (chunk) => {
    out += chunk;
    const newline = out.indexOf('\n');
    if (newline >= 0) resolve(out.slice(0, newline).trim());
  });
  server.on('exit', (code) => reject(new Error(`fixture server exited (${code})`)));
  setTimeout(() => reject(new Error('fixture server printed no URL in 10 s')), 10000);
});

let browser;
try {
  const feedUrl = 'https://example.org/arxiv';
  writeFileSync(path.join(work, 'config.toml'), [
    '[arxiv]',
    'categories = ["cs.AI", "cs.CL", "cs.CV", "cs.LG", "cs.RO"]',
    'source = "rss"',
    `rss_url = "${baseUrl}/rss/"`,
    `listing_url = "${baseUrl}/list/"`,
    'contact = "digest-test@example.org"',
    '[[topics]]', 'name = "reinforcement learning"',
    '[[topics]]', 'name = "diffusion policy"',
    '[output]',
    'dir = "out"',
    'formats = ["html", "email-html", "atom"]',
    `katex = ${JSON.stringify(opt.katex)}`,
    `feed_url = "${feedUrl}"`,
    '[store]', 'path = "archive.sqlite"',
    '',
  ].join('\n'));
  const run = spawnSync(opt.binary, ['run', '--config', 'config.toml', '--date', '2026-06-18', '--quiet'], {
    cwd: work,
    encoding: 'utf8',
    env: {
      ...process.env,
      XDG_CACHE_HOME: path.join(work, 'cache'),
      XDG_CONFIG_HOME: path.join(work, 'config-home'),
      XDG_DATA_HOME: path.join(work, 'data-home'),
      SOURCE_DATE_EPOCH: '1781783578',
    },
  });
  if (run.status !== 0) throw new Error(`arxiv-digest run exited ${run.status}: ${run.error || run.stderr}`);
  const out = path.join(work, 'out');
  const pagePath = path.join(out, '2026-06-18.html');
  const emailPath = path.join(out, '2026-06-18.email.html');
  check(existsSync(path.join(out, 'katex', 'katex.min.css')) &&
        existsSync(path.join(out, 'katex', 'contrib', 'auto-render.min.js')), 'KaTeX copied beside the page');
  check(existsSync(path.join(out, 'reinforcement-learning.atom')) && existsSync(path.join(out, 'digest.atom')),
        'stable-named feeds written');
  check(readFileSync(path.join(out, 'digest.atom'), 'utf8').includes(`href="${feedUrl}/digest.atom"`),
        'digest.atom links to itself under feed_url');

  // --- The page in Chromium ------------------------------------------------------------------
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const external = [];
  const failedRequests = [];
  const fontsLoaded = new Set();
  // Every request is seen here: anything not file: or 127.0.0.1 is recorded and refused, so the
  // page is proven to work without the network.
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    const local = url.protocol === 'file:' || url.protocol === 'data:' || url.hostname === '127.0.0.1';
    if (local) return route.continue();
    external.push(url.href);
    return route.abort();
  });
  const page = await context.newPage();
  const consoleErrors = [];
  page.on('console', (message) => { if (message.type() === 'error') consoleErrors.push(message.text()); });
  page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));
  page.on('requestfailed', (request) => failedRequests.push(`${request.url()}: ${request.failure()?.errorText}`));
  page.on('requestfinished', (request) => {
    const match = /katex\/fonts\/([^/]+)$/.exec(request.url());
    if (match) fontsLoaded.add(match[1]);
  });

  await page.goto(pathToFileURL(pagePath).href, { waitUntil: 'load' });
  await page.waitForSelector('.katex', { timeout: 15000 }).catch(() => {});
  await page.evaluate(() => document.fonts.ready);

  check(await page.title() === 'arXiv digest for 2026-06-18', `title is "arXiv digest for 2026-06-18" (${await page.title()})`);
  const papers = await page.locator('article').count();
  check(papers === 30, `30 papers (${papers})`);
  const sections = await page.locator('section[id^="topic-"]').evaluateAll((all) => all.map((s) => s.id));
  check(JSON.stringify(sections) === JSON.stringify(['topic-reinforcement-learning', 'topic-diffusion-policy']),
        `one section per topic (${sections.join(', ')})`);
  const rlPapers = await page.locator('#topic-reinforcement-learning article').count();
  check(rlPapers === 30, `"reinforcement learning" has 30 papers (${rlPapers})`);
  const mathCount = await page.locator('.katex').count();
  check(mathCount >= 1, `math rendered by KaTeX (${mathCount} .katex elements)`);
  const katexFont = await page.evaluate(() => document.fonts.check('16px KaTeX_Main'));
  check(fontsLoaded.size > 0 && katexFont, `KaTeX fonts loaded from the folder (${[...fontsLoaded].join(', ')})`);

  // Topic links scroll to their section.
  for (const id of [...sections].reverse()) {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.click(`nav a[href="#${id}"]`);
    await page.waitForFunction((target) => location.hash === `#${target}`, id);
    await page.waitForTimeout(100);
    // At its section's top, or, for a last section shorter than the window, at the page's end
    // with the section in view.
    const { top, scrolled, atEnd, height } = await page.evaluate((target) => ({
      top: document.getElementById(target).getBoundingClientRect().top,
      scrolled: window.scrollY,
      atEnd: window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 1,
      height: window.innerHeight,
    }), id);
    check(scrolled > 0 && (Math.abs(top) < 5 || (atEnd && top >= 0 && top < height)),
          `link to #${id} scrolls to it (scrollY ${scrolled}, section top ${top.toFixed(1)}${atEnd ? ', page end' : ''})`);
  }
  await page.evaluate(() => window.scrollTo(0, 0));

  const shots = [];
  async function shoot(name, width, height) {
    await page.setViewportSize({ width, height });
    await page.evaluate(() => window.scrollTo(0, 0));
    const file = path.join(opt.artifacts, `${name}-${width}x${height}.png`);
    await page.screenshot({ path: file });
    shots.push({ file, width, height });
  }
  await shoot('page', 1280, 900);
  // The first formula, for a look at the math.
  await page.locator('.katex').first().scrollIntoViewIfNeeded().catch(() => {});
  await page.screenshot({ path: path.join(opt.artifacts, 'page-math-1280x900.png') });
  shots.push({ file: path.join(opt.artifacts, 'page-math-1280x900.png'), width: 1280, height: 900 });
  await shoot('page', 390, 844);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  check(overflow <= 0, `no horizontal scroll at 390 px (scrollWidth - clientWidth = ${overflow})`);

  // Dark mode: the stylesheet's prefers-color-scheme block.
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const light = await background();
  await page.emulateMedia({ colorScheme: 'dark' });
  const dark = await background();
  check(light !== dark, `dark mode changes the background (${light} -> ${dark})`);
  const darkLuma = await page.evaluate(() => {
    const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\d+/g).map(Number);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  });
  check(darkLuma < 64, `dark background is dark (luma ${darkLuma.toFixed(0)})`);
  await shoot('page-dark', 390, 844);
  await page.emulateMedia({ colorScheme: 'light' });

  // --- The email ------------------------------------------------------------------------------
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(pathToFileURL(emailPath).href, { waitUntil: 'load' });
  check(await page.locator('script').count() === 0, 'the email has no script');
  const emailPapers = await page.locator('h3').count();
  check(emailPapers === 30, `the email lists 30 papers (${emailPapers})`);
  await shoot('email', 1280, 900);
  await shoot('email', 390, 844);
  const emailOverflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  check(emailOverflow <= 0, `the email has no horizontal scroll at 390 px (${emailOverflow})`);

  check(external.length === 0, `no request left file:/127.0.0.1 (${external.join(', ') || 'none'})`);
  check(failedRequests.length === 0, `no request failed (${failedRequests.join('; ') || 'none'})`);
  check(consoleErrors.length === 0, `no console error (${consoleErrors.join('; ') || 'none'})`);

  // --- The screenshots are real PNGs with content ----------------------------------------------
  // Decoded by the browser itself: the size must be the viewport's and the picture must not be a
  // blank (a page that failed to paint is one or two colours).
  const viewer = await context.newPage();
  for (const shot of shots) {
    const bytes = readFileSync(shot.file);
    const signature = bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const stats = await viewer.evaluate(async (dataUrl) => {
      const image = new Image();
      image.src = dataUrl;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.naturalWidth;
      canvas.height = image.naturalHeight;
      const context2d = canvas.getContext('2d');
      context2d.drawImage(image, 0, 0);
      const data = context2d.getImageData(0, 0, canvas.width, canvas.height).data;
      const colours = new Set();
      for (let i = 0; i < data.length; i += 4) colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      return { width: image.naturalWidth, height: image.naturalHeight, colours: colours.size };
    }, `data:image/png;base64,${bytes.toString('base64')}`);
    check(signature && stats.width === shot.width && stats.height === shot.height && stats.colours >= 50 && bytes.length > 10000,
          `${path.basename(shot.file)}: PNG ${stats.width}x${stats.height}, ${stats.colours} colours, ${bytes.length} bytes`);
  }
} catch (error) {
  failures.push(`error: ${error.stack || error}`);
  console.log(`FAIL ${error.stack || error}`);
} finally {
  if (browser) await browser.close();
  server.kill();
}

if (failures.length > 0) {
  console.log(`${failures.length} check(s) failed`);
  process.exit(1);
}
console.log(`all checks passed; screenshots in ${opt.artifacts}`);
