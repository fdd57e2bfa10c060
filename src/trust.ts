// Workspace trust. package.json declares `untrustedWorkspaces: limited`: in Restricted Mode the extension
// runs no PowerShell. Its commands are disabled there (`enablement: isWorkspaceTrusted`) and refused here
// as well, since a code lens, a walkthrough link or another extension can still run a disabled command;
// plans open read-only, and the JSON schema (a static contribution) still validates them.
import * as vscode from 'vscode';
import { UserError } from './userError';
import { isPlanUri } from './editor/planController';

/** Throws the Restricted Mode message (with a button to trust the workspace) unless the workspace is trusted. */
export function requireTrust(): void {
  if (vscode.workspace.isTrusted) return;
  throw new UserError(
    vscode.l10n.t(
      'Restricted Mode: Hyper-V Live Migration runs no PowerShell in a workspace you have not trusted, so it reads no host and checks, fixes or moves nothing. Trust this workspace to use it.',
    ),
    [{ title: vscode.l10n.t('Manage Workspace Trust'), command: 'workbench.trust.manage' }],
  );
}

/** The handler, refused in Restricted Mode. */
export function trusted(handler: (...args: never[]) => unknown): (...args: never[]) => unknown {
  return (...args) => {
    requireTrust();
    return handler(...args);
  };
}

/** Runs `start` now in a trusted workspace, else once the workspace is trusted. */
export function whenTrusted<T>(start: () => T): Promise<T> {
  if (vscode.workspace.isTrusted) return Promise.resolve(start());
  return new Promise((resolve) => {
    const granted = vscode.workspace.onDidGrantWorkspaceTrust(() => {
      granted.dispose();
      resolve(start());
    });
  });
}

/**
 * In Restricted Mode a plan file opens read-only for the session (nothing may check, fix, approve or run
 * it; its schema still validates it); once the workspace is trusted each such plan is writable again when
 * it is next shown. An admin who makes one writable by hand (File: Set Active Editor Writeable in Session)
 * keeps it so. New, untitled plans stay writable: they are the admin's own.
 */
export class ReadOnlyPlans implements vscode.Disposable {
  private readonly locked = new Set<string>();
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.subscriptions = [
      vscode.window.onDidChangeActiveTextEditor((editor) => void this.apply(editor)),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.apply(vscode.window.activeTextEditor)),
    ];
    void this.apply(vscode.window.activeTextEditor);
  }

  /** Acts on the active editor: the workbench's read-only commands take no argument. */
  private async apply(editor: vscode.TextEditor | undefined): Promise<void> {
    const uri = editor?.document.uri;
    if (!uri || uri.scheme !== 'file' || !isPlanUri(uri)) return;
    const key = uri.toString();
    if (!vscode.workspace.isTrusted && !this.locked.has(key)) {
      this.locked.add(key);
      await vscode.commands.executeCommand('workbench.action.files.setActiveEditorReadonlyInSession');
    } else if (vscode.workspace.isTrusted && this.locked.delete(key)) {
      await vscode.commands.executeCommand('workbench.action.files.resetActiveEditorReadonlyInSession');
    }
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
