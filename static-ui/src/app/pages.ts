import { checklistPage } from '../checklist/checklistPage';
import { devPanel } from '../dev/devPanel';
import { dialerPage } from '../dialer/dialerPage';
import { crmPage } from '../manage/crmPage';
import { deadLettersPage } from '../manage/deadLettersPage';
import { groupsPage } from '../manage/groupsPage';
import { auditPage, callsPage, qualityReportsPage } from '../manage/listPages';
import { orgSettingsPage } from '../manage/orgSettingsPage';
import { peoplePage, teamPage, teamsPage } from '../manage/teamsPages';
import { phoneSettingsPage } from '../settings/phoneSettingsPage';
import { supportPage } from '../support/supportPage';
import type { PageTable } from './shell';

export const pages: PageTable = {
  '/dialer': dialerPage,
  '/checklist': checklistPage,
  '/settings/phone': phoneSettingsPage,
  '/manage/groups': groupsPage,
  '/manage/teams': teamsPage,
  '/manage/teams/:teamId': teamPage,
  '/manage/people': peoplePage,
  '/manage/calls': callsPage,
  '/manage/quality': qualityReportsPage,
  '/manage/audit': auditPage,
  '/manage/failed-events': deadLettersPage,
  '/manage/org': orgSettingsPage,
  '/manage/crm': crmPage,
  '/support': supportPage,
  '/dev': devPanel,
};
