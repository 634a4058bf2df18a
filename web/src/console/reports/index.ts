// Reports for managers (every ward) and team leaders (their wards), one
// file a screen: the activity summary, escorted leave, de-escalation and
// groups for a period, a ward's month at a glance, the impact screen, the
// quarterly board report and the ward figures a manager loads. Each chart has its
// table beneath it and a link to the API's own CSV; the filters live in the
// route's query. Shared periods, wards and series names: ./shared.
export { ReportsScreen } from "./summary";
export { WardOverviewScreen } from "./ward-overview";
export { ImpactScreen } from "./impact";
export { BoardReportScreen } from "./board";
export { WardFiguresScreen } from "./ward-figures";
