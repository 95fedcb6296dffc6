// The Tianping web UI in headless Chromium, as a court clerk and an administrator use it:
// sign in, open the overview, drill down to a case, and check that the figures the pages show
// are the API's. With SCREENSHOTS=DIR it also saves the pages at 1366×768 into DIR.
//
// Runs `tianping demo` on a fresh database and port 0; the binary is $TIANPING_BIN, else
// the newer of target/release/tianping and target/debug/tianping. Chromium is Debian's (/usr/bin/chromium,
// or $CHROMIUM). Prints "N passed, M failed" and exits non-zero on any failure.

import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
// The newest build, release or debug.
const bin =
  process.env.TIANPING_BIN ||
  [join(root, "target/release/tianping"), join(root, "target/debug/tianping")]
    .filter(existsSync)
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";
const shots = process.env.SCREENSHOTS ? resolve(process.env.SCREENSHOTS) : null;
const PASSWORD = "browser-test-pw";

let passed = 0;
let failed = 0;
function check(name, ok, detail = "") {
  if (ok) {
    passed++;
    console.log(`ok   ${name}`);
  } else {
    failed++;
    console.log(`FAIL ${name} ${detail}`);
  }
}

function demoEnv() {
  const env = { ...process.env, TIANPING_DEMO_PASSWORD: PASSWORD };
  delete env.TIANPING_HOLIDAYS;
  delete env.TIANPING_DB;
  return env;
}

/** Start `tianping demo` and wait for its address. */
function startDemo(db) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(bin, ["demo", "--db", db, "--bind", "127.0.0.1:0"], {
      env: demoEnv(),
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    const timer = setTimeout(() => reject(new Error("demo did not start in 10 minutes")), 600_000);
    child.stdout.on("data", (chunk) => {
      out += chunk.toString();
      const m = out.match(/http:\/\/(127\.0\.0\.1:\d+)\//);
      if (m && out.includes("Ctrl+C")) {
        clearTimeout(timer);
        resolvePromise({ child, base: `http://${m[1]}`, output: out });
      }
    });
    child.on("exit", (code) => reject(new Error(`demo exited with ${code}: ${out}`)));
  });
}

async function shot(page, name) {
  if (!shots) return;
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: false });
}

async function api(page, path) {
  const res = await page.request.get(path);
  if (res.status() !== 200) throw new Error(`${path}: ${res.status()} ${await res.text()}`);
  return res.json();
}

const pct = (v) => (v === null || v === undefined ? "—" : `${(v * 100).toFixed(2)}%`);
const num = (v) =>
  v === null || v === undefined ? "—" : Number.isInteger(v) ? String(v) : v.toFixed(2);

/** The figures of a table row (data-id cells) as text. */
async function rowFigures(row) {
  const cells = await row.locator("td[data-id]").all();
  const out = {};
  for (const cell of cells) out[await cell.getAttribute("data-id")] = (await cell.innerText()).trim();
  return out;
}

function expectedFigures(ind) {
  return {
    filed: num(ind.filed),
    closed: num(ind.closed),
    pending_end: num(ind.pending_end),
    clearance_rate: pct(ind.clearance_rate),
    within_limit_rate: pct(ind.within_limit_rate),
  };
}

async function signIn(page, base, username) {
  await page.goto(`${base}/`);
  // Without a session the overview answers 401 and leads to the sign-in page.
  await page.waitForURL(/\/login/);
  await page.fill("input[name=username]", username);
  await page.fill("input[name=password]", PASSWORD);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith("/login")), page.click("button[type=submit]")]);
}

async function main() {
  if (!bin) throw new Error("no tianping binary: run `cargo build --release` first");
  const dir = mkdtempSync(join(tmpdir(), "tianping-browser-"));
  const { child, base } = await startDemo(join(dir, "demo.db"));
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--lang=zh-CN"],
  });
  try {
    // ---- A basic court's clerk (审管办): overview → division → judge → case.
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: "zh-CN", baseURL: base });
    const page = await context.newPage();
    await page.goto(`${base}/`);
    await page.waitForURL(/\/login/, { timeout: 10_000 }).catch(() => {});
    check("without a session the address shows the sign-in page", page.url().includes("/login"));
    await shot(page, "login");
    await signIn(page, base, "clerk");
    check("sign-in leads to the overview", new URL(page.url()).pathname === "/");
    await shot(page, "overview-basic-court");

    const scope = await page.locator("#scope-title").getAttribute("data-scope");
    const from = await page.locator("#period-text").getAttribute("data-from");
    const to = await page.locator("#period-text").getAttribute("data-to");
    const doc = await api(page, `/api/v1/indicators?from=${from}&to=${to}`);
    check("the API answers for the clerk's own court", doc.scope === scope, `${doc.scope} vs ${scope}`);
    const ind = doc.rows[0].indicators;
    const card = async (id) => (await page.locator(`.card[data-id=${id}] [data-value]`).innerText()).trim();
    check("overview 新收 equals the API", (await card("filed")) === num(ind.filed), `${await card("filed")} vs ${ind.filed}`);
    check("overview 已结 equals the API", (await card("closed")) === num(ind.closed));
    check("overview 结案率 equals the API", (await card("clearance_rate")) === pct(ind.clearance_rate));
    check("overview 审限内结案率 equals the API", (await card("within_limit_rate")) === pct(ind.within_limit_rate));
    check("the monthly chart is an SVG drawn by the server", (await page.locator("figure svg .bar").count()) > 0);

    // Division.
    const divisionRow = page.locator("#divisions tbody tr").first();
    const divisionKey = await divisionRow.getAttribute("data-key");
    const byDivision = await api(page, `/api/v1/indicators?from=${from}&to=${to}&by=division`);
    const divisionApi = byDivision.rows.find((r) => r.key === divisionKey);
    check("a division row equals the API's", JSON.stringify(await rowFigures(divisionRow)) === JSON.stringify(expectedFigures(divisionApi.indicators)));
    await Promise.all([page.waitForURL(/\/divisions\//), divisionRow.locator("a").first().click()]);
    await shot(page, "division");
    const judgeRow = page.locator("#judges tbody tr").first();
    const judgeKey = await judgeRow.getAttribute("data-key");
    const byJudge = await api(page, `/api/v1/indicators?from=${from}&to=${to}&by=judge`);
    const judgeApi = byJudge.rows.find((r) => r.key === judgeKey);
    check("a judge row equals the API's", JSON.stringify(await rowFigures(judgeRow)) === JSON.stringify(expectedFigures(judgeApi.indicators)));
    await Promise.all([page.waitForURL(/\/judges\//), judgeRow.locator("a").first().click()]);
    await shot(page, "judge");

    // A pending case of the judge, with its deadline.
    const caseLink = page.locator("#pending tbody tr a").first();
    const caseNumber = (await caseLink.innerText()).trim();
    const rowDeadline = (await page.locator("#pending tbody tr").first().locator("td").nth(2).innerText()).trim();
    await Promise.all([page.waitForURL(/\/cases\//), caseLink.click()]);
    check("the case page shows the case", (await page.locator("#case-number").innerText()).trim() === caseNumber);
    const list = await api(page, `/api/v1/deadlines?as_of=${to}&status=all`);
    const apiRow = list.rows.find((r) => r.case_number === caseNumber);
    check("the case is on the API's deadline list", Boolean(apiRow));
    const steps = await page.locator("#deadline-steps").innerText().catch(() => "");
    if (apiRow && apiRow.deadline) {
      check("the case page's deadline equals the API's", steps.includes(apiRow.deadline) && rowDeadline === apiRow.deadline, `${apiRow.deadline} / ${rowDeadline}`);
      check("the case page explains the base limit", steps.includes("基础审限"));
    }
    await shot(page, "case");
    await page.goto(`${base}/deadlines?status=overdue&as_of=${to}`);
    const overdue = await api(page, `/api/v1/deadlines?as_of=${to}&status=overdue`);
    check("the deadline list counts the API's overdue cases", (await page.locator("#total").innerText()).trim() === String(overdue.rows.length));
    await shot(page, "deadlines");
    // Outside the clerk's court: 403.
    const province = await page.request.get(`/api/v1/indicators?from=${from}&to=${to}&scope=${encodeURIComponent(scope.slice(0, 1))}`);
    check("the province is outside a basic court's scope", province.status() === 403);
    await context.close();

    // ---- The high court's trial-management office: a quarter compared with the one before, a
    // case found by its number in another bracket style, a judge's deadline list exported, the
    // ranking of the basic courts, and the quarter's bulletin.
    const officeContext = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: "zh-CN", baseURL: base, acceptDownloads: true });
    const office = await officeContext.newPage();
    await signIn(office, base, "office");
    const highCode = await office.locator("#scope-title").getAttribute("data-scope");
    check("the office's overview is the high court", (await office.locator("#scope-title .tag").first().innerText()).includes("高级"));
    await office.selectOption("#period-select", "2025Q3");
    await office.selectOption("#compare-select", "prev");
    await Promise.all([office.waitForURL(/period=2025Q3/), office.locator("#period-form button").click()]);
    check("the picker asks for 2025Q3 compared with the quarter before", new URL(office.url()).searchParams.get("compare") === "prev");
    check("the page names the quarter", (await office.locator("#period-text").innerText()).includes("2025年第三季度"));
    const q3 = (await api(office, `/api/v1/indicators?from=2025-07-01&to=2025-09-30&scope=${encodeURIComponent(highCode)}`)).rows[0].indicators;
    const q2 = (await api(office, `/api/v1/indicators?from=2025-04-01&to=2025-06-30&scope=${encodeURIComponent(highCode)}`)).rows[0].indicators;
    const officeCard = async (id) => (await office.locator(`.card[data-id=${id}] [data-value]`).innerText()).trim();
    check("2025Q3 新收 equals the API", (await officeCard("filed")) === num(q3.filed), `${await officeCard("filed")} vs ${q3.filed}`);
    check("2025Q3 审限内结案率 equals the API", (await officeCard("within_limit_rate")) === pct(q3.within_limit_rate));
    const change = (await office.locator(".card[data-id=filed] .change").innerText()).trim();
    const expectedChange = q3.filed === q2.filed ? "环比持平" : `环比${q3.filed > q2.filed ? "上升" : "下降"}${(Math.abs(q3.filed - q2.filed) / q2.filed * 100).toFixed(2)}%`;
    check("新收 is compared with 2025Q2 in the words of the reports", change === expectedChange, `${change} vs ${expectedChange}`);
    await shot(office, "overview-quarter-prev");

    // A case number typed with ASCII brackets opens the case.
    const anyCase = (await api(office, `/api/v1/deadlines?status=overdue`)).rows[0].case_number;
    const typed = anyCase.replace("（", "(").replace("）", ")");
    await office.fill("header input[name=q]", typed);
    await Promise.all([office.waitForURL(/\/cases\//), office.press("header input[name=q]", "Enter")]);
    check("a case number in another bracket style opens its case", (await office.locator("#case-number").innerText()).trim() === anyCase, typed);

    // The ranking of the basic courts on 审限内结案率 for 2025Q3, with the API's figures.
    await office.goto(`${base}/ranking?period=2025Q3`);
    check("the ranking is of basic courts on 审限内结案率", (await office.locator("#level-select").inputValue()) === "basic" && (await office.locator("#indicator-select").inputValue()) === "within_limit_rate");
    const byCourt = await api(office, `/api/v1/indicators?from=2025-07-01&to=2025-09-30&scope=${encodeURIComponent(highCode)}&by=court`);
    const rankRows = await office.locator("#ranking tbody tr[data-court]").all();
    let rankOk = rankRows.length > 1;
    let previous = Infinity;
    for (const row of rankRows) {
      const code = await row.getAttribute("data-court");
      const apiRate = byCourt.rows.find((r) => r.key === code)?.indicators.within_limit_rate;
      const shown = (await row.locator("td").nth(2).innerText()).trim();
      if (shown !== pct(apiRate)) rankOk = false;
      if (apiRate !== null && apiRate !== undefined) {
        if (apiRate > previous + 1e-12) rankOk = false;
        previous = apiRate;
      }
    }
    check("every basic court is ranked best first with the API's 审限内结案率", rankOk, `${rankRows.length} rows`);
    await shot(office, "ranking");

    // A basic court's deadline list filtered by 承办人, exported with that filter.
    const rankedCode = await rankRows[rankRows.length - 1].getAttribute("data-court");
    await office.goto(`${base}/deadlines?court=${encodeURIComponent(rankedCode)}`);
    const judgeName = await office.locator("#judge-select option").nth(1).getAttribute("value");
    await office.selectOption("#judge-select", judgeName);
    await Promise.all([office.waitForURL(/judge=/), office.locator("form.filters button[type=submit]").click()]);
    const asOfShown = await office.locator("input[name=as_of]").inputValue();
    const judgeList = await api(office, `/api/v1/deadlines?scope=${encodeURIComponent(rankedCode)}&judge=${encodeURIComponent(judgeName)}&as_of=${asOfShown}`);
    check("the judge's deadline list counts the API's rows", (await office.locator("#total").innerText()).trim() === String(judgeList.rows.length), judgeName);
    const [download] = await Promise.all([office.waitForEvent("download"), office.locator("#export").click()]);
    const exported = readFileSync(await download.path());
    check("the export is an Excel workbook of that list", download.suggestedFilename().endsWith(".xlsx") && exported.subarray(0, 2).toString() === "PK", download.suggestedFilename());
    check("the export carries the judge filter", decodeURIComponent(download.url()).includes(`judge=${judgeName}`), download.url());

    // The 2025Q3 bulletin from the overview of that quarter.
    await office.goto(`${base}/?period=2025Q3`);
    check("the bulletin picker offers the page's quarter", (await office.locator("#bulletin-form select[name=period]").inputValue()) === "2025Q3");
    const [bulletin] = await Promise.all([office.waitForEvent("download"), office.locator("#bulletin-form button").click()]);
    check("the 2025Q3 bulletin downloads", decodeURIComponent(bulletin.suggestedFilename()).includes("2025年第三季度"), bulletin.suggestedFilename());
    await officeContext.close();

    // ---- Mediation: the mediator's own list, and the mediation desk's indicators against the API.
    const mediationContext = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: "zh-CN", baseURL: base });
    const mediatorPage = await mediationContext.newPage();
    await signIn(mediatorPage, base, "mediator");
    await mediatorPage.goto(`${base}/mediation?as_of=2025-12-31`);
    check("a mediator's list is 我的调解", (await mediatorPage.locator("h1").innerText()).includes("我的调解"));
    const mine = await api(mediatorPage, `/api/v1/mediation/items?as_of=2025-12-31`);
    check("the list shows the mediator's own mediations, as the API", (await mediatorPage.locator("#total").innerText()).trim() === String(mine.rows.length), `${mine.rows.length}`);
    check("a mediator sees only their own", mine.rows.length > 0 && mine.rows.every((r) => r.mediator_id === mine.rows[0].mediator_id));
    const firstMediation = mediatorPage.locator("#mediations tbody tr a").first();
    await Promise.all([mediatorPage.waitForURL(/\/mediation\//), firstMediation.click()]);
    check("a mediation page explains its state", (await mediatorPage.locator("#mediation-state").getAttribute("data-state")) !== null);
    await shot(mediatorPage, "mediation");
    await mediationContext.close();
    const deskContext = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: "zh-CN", baseURL: base });
    const desk = await deskContext.newPage();
    await signIn(desk, base, "lian");
    await desk.goto(`${base}/mediation/indicators?period=2025&by=court&compare=yoy`);
    const deskDoc = await api(desk, `/api/v1/mediation/indicators?period=2025&by=court&compare=yoy`);
    const deskRow = desk.locator("#mediation-indicators tbody tr").first();
    const deskKey = await deskRow.getAttribute("data-key");
    const deskApi = deskDoc.rows.find((r) => r.key === deskKey);
    check("the mediation indicators page shows the API's 调解成功", deskApi && (await deskRow.locator("td[data-id=succeeded]").innerText()).trim() === String(deskApi.indicators.succeeded));
    check("and its 调解成功率", deskApi && (await deskRow.locator("td[data-id=success_rate]").innerText()).trim() === pct(deskApi.indicators.success_rate));
    await shot(desk, "mediation-indicators");
    await deskContext.close();

    // ---- A mediation from registration to success: the desk registers and assigns it, the
    // mediator accepts and extends it, the desk concludes it; the indicators count it.
    const flowDesk = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: "zh-CN", baseURL: base });
    const deskPage = await flowDesk.newPage();
    await signIn(deskPage, base, "lian");
    await deskPage.goto(`${base}/mediation`);
    await deskPage.locator("#register summary").click();
    const deskCourt = await deskPage.locator("#register-form select[name=court_code]").inputValue();
    await deskPage.selectOption("#register-kind", "委派");
    await deskPage.fill("#register-form input[name=cause]", "物业服务合同纠纷");
    await Promise.all([deskPage.waitForURL(/\/mediation\/%E8%B0%83|\/mediation\/调/), deskPage.locator("#register-submit").click()]);
    const newId = (await deskPage.locator("#mediation-id").innerText()).trim();
    check("the desk registers a mediation", (await deskPage.locator("#mediation-state").getAttribute("data-state")) === "registered", newId);
    const actOn = async (page, action, fields) => {
      await page.selectOption("#action-select", action);
      for (const [name, value] of Object.entries(fields)) {
        if (name === "outcome") await page.selectOption("#act-form select[name=outcome]", value);
        else await page.fill(`#act-form input[name=${name}]`, value);
      }
      await Promise.all([page.waitForLoadState("load"), page.locator("#act-submit").click()]);
      await page.waitForURL(/\/mediation\//);
      return page.locator("#mediation-state").getAttribute("data-state");
    };
    check("and assigns it to a mediator", (await actOn(deskPage, "assign", { org_id: `${deskCourt}-ORG1`, mediator_id: `${deskCourt}-M11` })) === "referred");
    const flowMediator = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: "zh-CN", baseURL: base });
    const mediatorFlow = await flowMediator.newPage();
    await signIn(mediatorFlow, base, "mediator");
    await mediatorFlow.goto(`${base}/mediation/${encodeURIComponent(newId)}`);
    check("the mediator accepts it", (await actOn(mediatorFlow, "accept", {})) === "mediating");
    check("and extends it by agreement", (await actOn(mediatorFlow, "extend", { days: "10" })) === "mediating");
    check("the page explains the extended period", (await mediatorFlow.locator("#deadline-steps").innerText()).includes("10日"));
    await flowMediator.close();
    await deskPage.goto(`${base}/mediation/${encodeURIComponent(newId)}`);
    check("the desk concludes it as a success", (await actOn(deskPage, "conclude", { outcome: "调解成功" })) === "succeeded");
    const shownMediation = await api(deskPage, `/api/v1/mediation/items/${encodeURIComponent(newId)}`);
    check("its history holds every step", shownMediation.history.map((h) => h.action).join(",") === "create,assign,accept,extend,conclude", shownMediation.history.map((h) => h.action).join(","));
    const year = new Date().getFullYear();
    await deskPage.goto(`${base}/mediation/indicators?period=${year}&by=court&compare=yoy`);
    const flowDoc = await api(deskPage, `/api/v1/mediation/indicators?period=${year}&by=court`);
    const flowApi = flowDoc.rows.find((r) => r.key === deskCourt);
    const flowRow = deskPage.locator(`#mediation-indicators tbody tr[data-key="${deskCourt}"]`);
    check("the indicators count it, as the API", flowApi && flowApi.indicators.succeeded >= 1 && (await flowRow.locator("td[data-id=succeeded]").innerText()).trim() === String(flowApi.indicators.succeeded));
    await flowDesk.close();

    // ---- A petition at the reception desk: registered, acknowledged, extended by a leader,
    // replied to; each step shows in its state and deadlines.
    const newPage = async (username) => {
      const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: "zh-CN", baseURL: base });
      const p = await ctx.newPage();
      await signIn(p, base, username);
      return { ctx, p };
    };
    // Choose an action on a workflow page, fill its fields (select or input), submit, and read
    // the record's state afterwards.
    const act = async (page, stateSelector, action, fields) => {
      await page.selectOption("#action-select", action);
      for (const [name, value] of Object.entries(fields)) {
        const select = page.locator(`#act-form select[name=${name}]`);
        if (await select.count()) await select.selectOption(value);
        else await page.fill(`#act-form input[name=${name}]`, value);
      }
      await Promise.all([page.waitForLoadState("load"), page.locator("#act-submit").click()]);
      return page.locator(stateSelector).getAttribute("data-state");
    };
    const reception = await newPage("xinfang");
    await reception.p.goto(`${base}/petitions`);
    await reception.p.locator("#register summary").click();
    await reception.p.fill("#register-form input[name=petitioner_name]", "赵某");
    await Promise.all([reception.p.waitForURL(/\/petitions\/XF/), reception.p.locator("#register-submit").click()]);
    const petitionId = (await reception.p.locator("#petition-id").innerText()).trim();
    check("the reception desk registers a petition", (await reception.p.locator("#petition-state").getAttribute("data-state")) === "registered", petitionId);
    check("acknowledges it (受理)", (await act(reception.p, "#petition-state", "acknowledge", { decision: "受理", form: "书面" })) === "handling");
    const leaderPetition = await newPage("yuanzhang");
    await leaderPetition.p.goto(`${base}/petitions/${encodeURIComponent(petitionId)}`);
    check("a leader extends it by 30 days", (await act(leaderPetition.p, "#petition-state", "extend", { days: "30", reason: "案情复杂" })) === "handling");
    check("the deadline shows the extension", (await leaderPetition.p.locator("#deadline-steps tr[data-limit=handling]").innerText()).includes("30"));
    await leaderPetition.ctx.close();
    await reception.p.goto(`${base}/petitions/${encodeURIComponent(petitionId)}`);
    check("the desk replies to it", (await act(reception.p, "#petition-state", "reply", { result: "解释说明", form: "书面" })) === "concluded");
    const shownPetition = await api(reception.p, `/api/v1/petitions/items/${encodeURIComponent(petitionId)}`);
    check("its history holds every step", shownPetition.history.map((h) => h.action).join(",") === "create,acknowledge,extend,reply", shownPetition.history.map((h) => h.action).join(","));
    await shot(reception.p, "petition");
    await reception.ctx.close();

    // ---- A judicial suggestion from its draft to the printed 司法建议书: the research office
    // drafts it and records the committee, the president signs, the office issues it.
    const research = await newPage("yanjiushi");
    await research.p.goto(`${base}/suggestions`);
    await research.p.locator("#draft summary").click();
    await research.p.fill("#draft-form input[name=title]", "关于规范校外培训机构管理的司法建议书");
    await research.p.fill("#draft-form input[name=recipient]", "某区教育局");
    await research.p.fill("#draft-form textarea[name=background]", "未成年人保护工作关系千家万户。");
    await research.p.fill("#draft-form textarea[name=findings]", "部分校外培训机构从业人员入职查询制度落实不到位。");
    await research.p.fill("#draft-form textarea[name=proposals]", "督促落实入职查询制度\n加强日常巡查");
    await Promise.all([research.p.waitForURL(/\/suggestions\/.+/), research.p.locator("#draft-submit").click()]);
    const suggestionNo = (await research.p.locator("#suggestion-no").innerText()).trim();
    check("the research office drafts a suggestion with the court's next number", /法建〔\d{4}〕\d+号$/.test(suggestionNo), suggestionNo);
    check("the 审判委员会 approves it", (await act(research.p, "#suggestion-state", "approve", {})) === "approved");
    const president = await newPage("yuanzhang");
    await president.p.goto(`${base}/suggestions/${encodeURIComponent(suggestionNo)}`);
    check("the president signs it", (await act(president.p, "#suggestion-state", "sign", {})) === "signed");
    await president.ctx.close();
    await research.p.goto(`${base}/suggestions/${encodeURIComponent(suggestionNo)}`);
    check("the office issues it", (await act(research.p, "#suggestion-state", "issue", { reply_months: "2" })) === "issued");
    check("the page shows the letter with its suggestions", (await research.p.locator("#letter").innerText()).includes("一、督促落实入职查询制度。"));
    await shot(research.p, "suggestion");
    const docx = await research.p.request.get(await research.p.locator("#letter-docx").getAttribute("href"));
    const docxBody = await docx.body();
    check("the 司法建议书 downloads as Word", docx.status() === 200 && docxBody.subarray(0, 2).toString() === "PK" && docx.headers()["content-disposition"].includes("attachment"));
    const pdfLink = research.p.locator("#letter-pdf");
    if (await pdfLink.count()) {
      const pdf = await research.p.request.get(await pdfLink.getAttribute("href"));
      check("and as PDF", pdf.status() === 200 && (await pdf.body()).subarray(0, 4).toString() === "%PDF", String(pdf.status()));
    }
    await research.ctx.close();

    // ---- The administrator: the overdue cases of one basic court in two clicks.
    const adminContext = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: "zh-CN", baseURL: base });
    const admin = await adminContext.newPage();
    await signIn(admin, base, "admin");
    await shot(admin, "overview-province");
    // The overview is the province's high court. Click 1: an intermediate court; click 2: the
    // overdue figure of a basic court below it.
    check("the administrator's overview is the high court", (await admin.locator("#scope-title .tag").first().innerText()).includes("高级"));
    await Promise.all([admin.waitForURL(/\/courts\//), admin.locator("#children tbody tr a").first().click()]);
    await shot(admin, "overview-intermediate-court");
    const basicRow = admin.locator("#children tbody tr").filter({ has: admin.locator("a.overdue") }).first();
    const basicCode = await basicRow.getAttribute("data-key");
    const shownOverdue = (await basicRow.locator("a.overdue").innerText()).trim();
    await Promise.all([admin.waitForURL(/\/deadlines/), basicRow.locator("a.overdue").click()]);
    const asOf = new URL(admin.url()).searchParams.get("as_of");
    const apiOverdue = await api(admin, `/api/v1/deadlines?as_of=${asOf}&scope=${encodeURIComponent(basicCode)}&status=overdue`);
    check(
      "two clicks reach a basic court's overdue cases, as many as the API lists",
      (await admin.locator("#total").innerText()).trim() === String(apiOverdue.rows.length),
    );
    const apiInd = await api(admin, `/api/v1/indicators?from=${asOf.slice(0, 4)}-01-01&to=${asOf}&scope=${encodeURIComponent(basicCode)}`);
    check(
      "the court table's 超审限未结 equals the API's overdue_pending",
      shownOverdue === String(apiInd.rows[0].indicators.overdue_pending),
      `${shownOverdue} vs ${apiInd.rows[0].indicators.overdue_pending}`,
    );
    await shot(admin, "deadlines-basic-court-overdue");
    await admin.goto(`${base}/admin/users`);
    await shot(admin, "users");
    await admin.goto(`${base}/admin/audit`);
    const auditText = await admin.locator("#audit").innerText();
    check("the audit log shows the sign-ins, in Chinese", auditText.includes("登录") && !auditText.includes("sign_in"));
    check("the audit log's times read 2026-12-07 09:04:35", /\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/.test(auditText));
    await shot(admin, "audit");
    await admin.goto(`${base}/import`);
    await shot(admin, "import");
    await admin.goto(`${base}/signals`);
    await shot(admin, "signals");
    await adminContext.close();
  } finally {
    await browser.close();
    child.kill("SIGINT");
    rmSync(dir, { recursive: true, force: true });
  }
}

main()
  .catch((e) => {
    failed++;
    console.log(`FAIL ${e.stack || e}`);
  })
  .finally(() => {
    console.log(`${passed} passed, ${failed} failed`);
    process.exit(failed === 0 ? 0 : 1);
  });
