import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { repoRoot } from '../../platform/tools';

/** Where browser tests keep their screenshots (git-ignored); one folder per test file, replaced each run. */
export const BROWSER_ARTIFACTS_DIR = path.join(repoRoot, 'test-artifacts', 'browser');

// Debian's Chromium, installed by scripts/setup.sh; Playwright's own browser downloads are never used.
const DEFAULT_CHROMIUM = '/usr/bin/chromium';

// Without the background-networking switches Chromium keeps dialling Google services, which a
// closed network refuses; none of them is needed to drive a page.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumPath(): string {
  const file = process.env.CHROMIUM_PATH || DEFAULT_CHROMIUM;
  if (!existsSync(file)) {
    throw new Error(
      `Chromium not found at ${file}: run scripts/setup.sh (installs Debian's chromium) or set CHROMIUM_PATH`,
    );
  }
  return file;
}

export interface BrowserSession {
  page: Page;
  context: BrowserContext;
  /** The folder holding this session's screenshots. */
  artifactsDir: string;
  /** Saves a numbered full-page screenshot (`01-<name>.png`, ...) and returns its path. */
  screenshot(name: string): Promise<string>;
  /**
   * Runs one step of a test; on failure keeps a screenshot and the page's HTML named after the step
   * before rethrowing, so a red run shows what the browser saw.
   */
  step<T>(name: string, run: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Debian's Chromium, headless, with a fresh profile; screenshots go to `test-artifacts/browser/<name>/`. */
export async function openBrowser(name: string): Promise<BrowserSession> {
  const artifactsDir = path.join(BROWSER_ARTIFACTS_DIR, name);
  rmSync(artifactsDir, { recursive: true, force: true });
  mkdirSync(artifactsDir, { recursive: true });
  const profile = mkdtempSync(path.join(tmpdir(), 'chromium-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 1000 },
    timeout: 60_000,
  });
  context.setDefaultTimeout(30_000);
  const page = context.pages()[0] ?? (await context.newPage());
  let counter = 0;
  const screenshot = async (shot: string): Promise<string> => {
    counter += 1;
    const file = path.join(artifactsDir, `${String(counter).padStart(2, '0')}-${shot}.png`);
    await page.screenshot({ path: file, fullPage: true });
    return file;
  };
  return {
    page,
    context,
    artifactsDir,
    screenshot,
    async step(stepName, run) {
      try {
        return await run();
      } catch (err) {
        await screenshot(`${stepName}-FAILED`).catch(() => undefined);
        const html = await page.content().catch(() => '');
        writeFileSync(path.join(artifactsDir, `${stepName}-FAILED.html`), html);
        throw err;
      }
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Polls a locator's text until `pattern` matches (the Web UI fills pages in as its requests and the
 * codec server answer) and returns the last text seen, matched or not, for the test to assert on.
 */
export async function textOnceMatching(
  locator: Locator,
  pattern: RegExp,
  timeoutMs = 30_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  for (;;) {
    text = await locator.innerText({ timeout: 5_000 }).catch(() => text);
    if (pattern.test(text) || Date.now() > deadline) return text;
    await new Promise((r) => setTimeout(r, 250));
  }
}
