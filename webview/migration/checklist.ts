// The checklist of one VM's move to its chosen destination: the checks by area, each finding with its
// cause, evidence, status and fixes (their choices picked in the webview, kept in its saved state).
import { html, type TemplateResult } from 'lit-html';
import { repeat } from 'lit-html/directives/repeat.js';
import type { AreaGroup, CheckView, FindingRow, FixView, FromWebview, MigrationSection } from '../../src/panel/protocol';
import * as l10n from '../l10n';
import { button, disclosure, icon, key, nothing, statusIcon, unseen, type PageContext, type Status } from '../ui';

/** What the migration panel's parts need besides the state: how to ask the extension, and the webview's own state. */
export type MigrationContext = PageContext<FromWebview>;

const severityIcon: Record<FindingRow['severity'], string> = { blocker: 'error', warning: 'warning', info: 'info', passed: 'pass-filled' };
export const severityText: Record<FindingRow['severity'], string> = {
  blocker: l10n.t('Blocker'),
  warning: l10n.t('Warning'),
  info: l10n.t('Info'),
  passed: l10n.t('Passed'),
};

/** The key of a fix's choice in the saved state. */
const choiceKey = (vmId: string, row: FindingRow, fix: FixView, choice: string) => key('pick', vmId, row.id, fix.id, choice);

function fixControls(ctx: MigrationContext, section: MigrationSection, row: FindingRow, fix: FixView, first: boolean): TemplateResult {
  const vmId = section.vm.id;
  const disabled = section.busy || section.move?.running === true || row.status?.kind === 'applying';
  const picked = (choice: FixView['choices'][number]) => ctx.ui.value(choiceKey(vmId, row, fix, choice.name)) ?? choice.options[0] ?? '';
  const chosen = () => Object.fromEntries(fix.choices.map((c) => [c.name, picked(c)]));
  const selects = fix.choices.map((choice) => {
    const current = picked(choice);
    const change = (event: Event) =>
      ctx.ui.setValue(choiceKey(vmId, row, fix, choice.name), (event.currentTarget as HTMLElement & { value: string }).value);
    return html`<label class="choice"
      ><span>${`${choice.label}:`}</span>
      <vscode-single-select data-choice=${choice.name} label=${choice.label} @change=${change}>
        ${choice.options.map((o) => html`<vscode-option value=${o} ?selected=${o === current}>${o}</vscode-option>`)}
      </vscode-single-select></label
    >`;
  });
  const look = fix.destructive ? 'warning' : fix.appliesTo === 'plan' ? 'checklist' : 'wrench';
  return html`<div class=${`fix${fix.destructive ? ' destructive' : ''}`} data-fix=${fix.id}>
    <div class="fix-controls">
      ${selects}
      ${button(fix.title, { icon: look, secondary: !first, disabled }, () =>
        ctx.post({ type: 'applyFix', vmId, findingId: row.id, fixId: fix.id, choices: chosen() }),
      )}
      ${button(
        l10n.t('Show PowerShell'),
        {
          icon: 'terminal-powershell',
          secondary: true,
          title: l10n.t('Open the exact script this fix runs'),
          label: l10n.t('Show PowerShell: {0}', fix.title),
        },
        () => ctx.post({ type: 'showFixScript', vmId, findingId: row.id, fixId: fix.id, choices: chosen() }),
      )}
    </div>
    <p class="fix-description">${fix.destructive ? html`${icon('warning')} ` : nothing}${fix.description}</p>
  </div>`;
}

const fixStatus: Record<NonNullable<FindingRow['status']>['kind'], Status> = {
  applying: 'busy',
  fixed: 'done',
  stillFailing: 'failed',
  fixFailed: 'failed',
};

function statusLine(row: FindingRow): TemplateResult | typeof nothing {
  const status = row.status;
  if (!status) return nothing;
  return html`<p class=${`status ${status.kind}`}>${statusIcon(fixStatus[status.kind])} ${status.message}</p>`;
}

function findingRow(ctx: MigrationContext, section: MigrationSection, row: FindingRow): TemplateResult {
  const evidenceItems = [
    ...row.evidence.map((e) => html`<li><code>${e.source}</code> — ${e.detail}</li>`),
    ...(row.compareVm && !row.evidence.some((e) => e.source.startsWith('Compare-VM'))
      ? [html`<li><code>Compare-VM</code> — ${row.compareVm}</li>`]
      : []),
  ];
  const evidence =
    evidenceItems.length > 0
      ? disclosure(
          ctx.ui,
          key('evidence', section.vm.id, row.id),
          l10n.t('Evidence ({0})', evidenceItems.length),
          'evidence',
          html`<ul>
            ${evidenceItems}
          </ul>`,
        )
      : nothing;
  return html`<div class=${`finding ${row.severity}`} data-finding=${row.id} data-severity=${row.severity}>
    <div class="finding-head">
      ${icon(severityIcon[row.severity], `severity ${row.severity}`)}<span class="finding-title">${row.title}</span
      ><span class="severity-label">${severityText[row.severity]}</span>
    </div>
    ${row.cause ? html`<p class="cause">${row.cause}</p>` : nothing} ${statusLine(row)} ${evidence}
    ${row.fixes.length > 0
      ? html`<div class="fixes">
          ${repeat(
            row.fixes,
            (f) => f.id,
            (f, i) => fixControls(ctx, section, row, f, i === 0),
          )}
        </div>`
      : nothing}
  </div>`;
}

function areaGroup(ctx: MigrationContext, section: MigrationSection, group: AreaGroup): TemplateResult {
  const worst = group.rows.some((r) => r.severity === 'blocker')
    ? 'blocker'
    : group.rows.some((r) => r.severity === 'warning')
      ? 'warning'
      : group.rows.some((r) => r.severity === 'info')
        ? 'info'
        : 'passed';
  const [only] = group.rows;
  if (group.rows.length === 1 && only.severity === 'passed' && !only.cause && only.evidence.length === 0 && !only.status) {
    // An area where nothing was found: one line.
    return html`<div class="area passed compact" data-area=${group.area}>
      <div class="finding passed" data-finding=${only.id} data-severity="passed">
        ${icon('pass-filled', 'severity passed')}<strong>${group.title}${unseen(` (${severityText.passed})`)}</strong
        ><span class="finding-title">${only.title}</span>
      </div>
    </div>`;
  }
  return html`<div class=${`area ${worst}`} data-area=${group.area}>
    <h4>${icon(severityIcon[worst], `severity ${worst}`)} ${group.title}${unseen(` (${severityText[worst]})`)}</h4>
    ${repeat(
      group.rows,
      (r) => r.id,
      (r) => findingRow(ctx, section, r),
    )}
  </div>`;
}

/** A check's outcome in words: shown beside its icon, and announced. */
export function checkWords(check: CheckView): string {
  if (check.status === 'checking') return l10n.t('Checking…');
  if (check.status === 'failed') return l10n.t('The check failed');
  if (check.blockers > 0) return check.blockers === 1 ? l10n.t('1 blocker') : l10n.t('{0} blockers', check.blockers);
  if (check.warnings === 0) return l10n.t('Ready to migrate');
  return check.warnings === 1 ? l10n.t('Ready · 1 warning') : l10n.t('Ready · {0} warnings', check.warnings);
}

function checkSummary(check: CheckView): TemplateResult {
  const words = checkWords(check);
  if (check.status === 'checking')
    return html`<span class="summary checking"
      ><vscode-progress-ring aria-label=${l10n.t('Checking')}></vscode-progress-ring> ${words}</span
    >`;
  if (check.status === 'failed' || check.blockers > 0) return html`<span class="summary blocker">${icon('error')} ${words}</span>`;
  return html`<span class="summary passed">${icon('pass-filled')} ${words}</span>`;
}

export function checklist(ctx: MigrationContext, section: MigrationSection): TemplateResult | typeof nothing {
  const check = section.check;
  if (!section.destination || !check) return nothing;
  const vmId = section.vm.id;
  const busy = section.busy || section.move?.running === true;
  return html`<div class="checklist" data-destination=${section.destination}>
    <div class="check-head">
      <h3>${l10n.t('Checks: {0} → {1}', section.vm.host, section.destination)}</h3>
      ${checkSummary(check)}
      <div class="toolbar">
        ${button(l10n.t('Check Again'), { icon: 'refresh', secondary: true, disabled: busy, id: `recheck-${vmId}` }, () =>
          ctx.post({ type: 'recheck', vmId }),
        )}
        ${button(
          l10n.t('Copy as PowerShell'),
          { icon: 'copy', secondary: true, title: l10n.t('The whole plan as one script: checks, fixes, Compare-VM, Move-VM') },
          () => ctx.post({ type: 'copyScript', vmId }),
        )}
      </div>
    </div>
    ${check.status === 'failed' ? html`<p class="notice">${icon('error')} ${check.message ?? ''}</p>` : nothing}
    ${check.checkedAt ? html`<p class="hint">${l10n.t('Checked {0}', new Date(check.checkedAt).toLocaleTimeString())}</p>` : nothing}
    ${repeat(
      check.groups,
      (g) => g.area,
      (g) => areaGroup(ctx, section, g),
    )}
  </div>`;
}
