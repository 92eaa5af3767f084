import { methodLabel, type PermissionGroup, type Person } from '../api/types';
import type { AppContext } from '../app/context';
import { dataTable } from '../app/table';
import { personMenu } from './personEditor';

export function peopleTable(ctx: AppContext, people: Person[], groups: PermissionGroup[], onSaved: () => void, testid: string): HTMLElement {
  const groupName = new Map(groups.map((g) => [g.id, g.name]));
  return dataTable([
    { label: 'Name', cell: (p) => (p.awaitingSignIn ? `${p.displayName} (${p.email ?? ''}, not signed in yet)` : p.displayName) },
    { label: 'Calling Preference', cell: (p) => methodLabel(p.callingPreference) },
    { label: 'Permission group', cell: (p) => (p.permissionGroupId ? groupName.get(p.permissionGroupId) ?? p.permissionGroupId : 'None') },
    { label: 'Agent phone', cell: (p) => (p.agentPhoneNumber ? p.agentPhoneNumber + (p.agentPhoneVerified === false ? ' (not verified yet)' : '') : '') },
    { label: '', cell: (p) => personMenu(ctx, p, onSaved), className: 'menu-cell' },
  ], people, { testid, empty: 'No people found.', rowAttrs: (p) => ({ 'data-user-id': p.userId }) });
}
