// The API's shapes as this app uses them, and tolerant readers for the ones that drive the whole UI.

export type CallingMethod = 'computer' | 'phone';
export type Role = 'Rep' | 'Manager' | 'Admin' | 'Support';

export interface CallingPermission {
  allowed: boolean;
  reason?: string | null;
  detail?: string | null;
}

export interface OrgCalling {
  computerCallingEnabled: boolean;
  edges: string[];
  codecPreferences: string[];
  recording: string;
}

export interface AgentPhoneVerification {
  /** The code to enter on the verification call; only ever sent to the person themselves. */
  code: string;
  expiresAt: string;
  attemptsLeft: number;
  callError: string | null;
}

export interface AgentPhone {
  number: string | null;
  verified: boolean;
  verification: AgentPhoneVerification | null;
}

export interface Me {
  user: { userId: string; displayName: string; email?: string | null; teamId?: string | null; permissionGroupId?: string | null };
  org: { orgId: string; name: string; isSandbox: boolean };
  roles: string[];
  callingPreference: CallingMethod | string;
  callingOptions: string[];
  canPlaceCalls: { computer: CallingPermission; phone: CallingPermission };
  agentPhoneNumber: string | null;
  agentPhone: AgentPhone;
  calling: OrgCalling;
  telephony: 'twilio' | 'simulated';
}

function str(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : fallback;
}

function strings(value: unknown, fallback: string[] = []): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : fallback;
}

function permission(value: unknown): CallingPermission {
  if (!value || typeof value !== 'object') return { allowed: false, reason: 'unknown', detail: 'The server did not say whether this method is allowed.' };
  const v = value as Record<string, unknown>;
  return { allowed: v.allowed === true, reason: str(v.reason) || null, detail: str(v.detail) || null };
}

function agentPhone(value: unknown, number: string | null): AgentPhone {
  const v = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  const pending = (v.verification && typeof v.verification === 'object' ? v.verification : null) as Record<string, unknown> | null;
  return {
    number: str(v.number) || number,
    verified: v.verified === true,
    verification: pending && str(pending.code)
      ? { code: str(pending.code), expiresAt: str(pending.expiresAt), attemptsLeft: typeof pending.attemptsLeft === 'number' ? pending.attemptsLeft : 0, callError: str(pending.callError) || null }
      : null,
  };
}

/** Reads GET /api/me; missing parts get safe defaults (nothing allowed) rather than breaking the page. */
export function normaliseMe(raw: unknown): Me {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const user = (r.user ?? {}) as Record<string, unknown>;
  const org = (r.org ?? {}) as Record<string, unknown>;
  const calling = (r.calling ?? r.orgCalling ?? r.callingSettings ?? {}) as Record<string, unknown>;
  const can = (r.canPlaceCalls ?? {}) as Record<string, unknown>;
  const edges = strings(calling.edges ?? r.edges);
  const codecs = strings(calling.codecPreferences ?? r.codecPreferences);
  return {
    user: {
      userId: str(user.userId ?? user.id),
      displayName: str(user.displayName ?? user.name, 'Signed-in user'),
      email: str(user.email) || null,
      teamId: str(user.teamId) || null,
      permissionGroupId: str(user.permissionGroupId) || null,
    },
    org: { orgId: str(org.orgId ?? org.id), name: str(org.name ?? org.orgId ?? org.id), isSandbox: org.isSandbox === true },
    roles: strings(r.roles),
    callingPreference: str(r.callingPreference, 'phone'),
    callingOptions: strings(r.callingOptions),
    canPlaceCalls: { computer: permission(can.computer), phone: permission(can.phone) },
    agentPhoneNumber: str(r.agentPhoneNumber) || null,
    agentPhone: agentPhone(r.agentPhone, str(r.agentPhoneNumber) || null),
    calling: {
      computerCallingEnabled: calling.computerCallingEnabled === true,
      edges: edges.length ? edges : ['roaming'],
      codecPreferences: codecs.length ? codecs : ['pcmu', 'opus'],
      recording: str(calling.recording ?? r.recording, 'off'),
    },
    telephony: r.telephony === 'simulated' ? 'simulated' : 'twilio',
  };
}

export function hasRole(me: Me, ...roles: Role[]): boolean {
  return roles.some((role) => me.roles.includes(role));
}

export const methodLabels: Record<CallingMethod, string> = {
  computer: 'Computer-based calling',
  phone: 'Phone-based calling',
};

export function methodLabel(method: string): string {
  return (methodLabels as Record<string, string>)[method] ?? method;
}

export interface PermissionGroup {
  id: string;
  name: string;
  allowComputer: boolean;
  allowPhone: boolean;
  version?: string | null;
}

export interface Team {
  id: string;
  name: string;
  managerUserIds?: string[];
  version?: string | null;
}

export interface Person {
  userId: string;
  displayName: string;
  email?: string | null;
  teamId?: string | null;
  permissionGroupId?: string | null;
  callingPreference: string;
  agentPhoneNumber?: string | null;
  /** Whether the person answered the verification call to their agent phone; only a verified number is dialed. */
  agentPhoneVerified?: boolean;
  roles?: string[];
  /** Added by an admin by email and not signed in yet. */
  awaitingSignIn?: boolean;
  version?: string | null;
}

export interface PersonWarning {
  code: string;
  detail: string;
}

export const dispositions = [
  ['connected', 'Connected'],
  ['left-voicemail', 'Left voicemail'],
  ['no-answer', 'No answer'],
  ['busy', 'Busy'],
  ['wrong-number', 'Wrong number'],
  ['not-interested', 'Not interested'],
  ['meeting-booked', 'Meeting booked'],
  ['follow-up', 'Follow up'],
] as const;

export type Disposition = (typeof dispositions)[number][0];

export const feedbackIssues = [
  ['audio-latency', 'Audio delay (latency)'],
  ['choppy-audio', 'Choppy audio'],
  ['dropped-call', 'Dropped call'],
  ['echo', 'Echo'],
  ['noisy-call', 'Noise or static'],
  ['one-way-audio', 'One-way audio (one side can\u2019t hear)'],
] as const;

export type FeedbackIssue = (typeof feedbackIssues)[number][0];

/** One of the rep's voicemail greetings (GET /api/me/greetings). */
export interface Greeting {
  id: string;
  name: string;
  format: 'wav' | 'mp3';
  durationSeconds: number;
  sizeBytes: number;
  createdAt: string;
  audioPath: string;
}

export interface GreetingList {
  items: Greeting[];
  maxGreetings: number;
  minSeconds: number;
  maxSeconds: number;
  maxBytes: number;
}
