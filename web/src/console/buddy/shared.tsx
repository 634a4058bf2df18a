// What the Buddy Scheme's screens share: the record types, the controlled
// lists, the loaders of every page of a list, and the status labels.
import { api, call, type Schemas } from "../../api/client";
import { Tag, type TagColour } from "../../components/nhs";
import { humanise } from "../../lib/labels";
import { useLoad } from "../common";

export type Pairing = Schemas["Pairing"];
export type PairingStatus = Schemas["PairingStatus"];
export type Meeting = Schemas["Meeting"];
export type Buddy = Schemas["Buddy"];
export type Student = Schemas["Student"];
export type Cohort = Schemas["Cohort"];
export type MeetingMode = Schemas["MeetingMode"];
export type MeetingTopic = Schemas["MeetingTopic"];
export type MeetingStatus = Schemas["MeetingStatus"];

export const STATUSES: PairingStatus[] = ["proposed", "active", "completed", "withdrawn"];
export const STATUS_COLOUR: Record<PairingStatus, TagColour> = {
  proposed: "yellow",
  active: "blue",
  completed: "green",
  withdrawn: "grey",
};
export const MODES: MeetingMode[] = ["online_video", "in_person", "telephone"];
export const TOPICS: MeetingTopic[] = [
  "introductions",
  "living_with_mental_illness",
  "family",
  "work",
  "community",
  "reflection_and_ending",
  "other",
];
export const OUTCOMES: MeetingStatus[] = [
  "held",
  "cancelled_by_student",
  "cancelled_by_buddy",
  "cancelled_by_coordinator",
  "did_not_attend",
];

/** Every page of a cursor-paged list. */
export async function everything<T>(page: (cursor?: string) => Promise<{ items: T[]; next_cursor?: string | null }>): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 20; i++) {
    const p = await page(cursor);
    out.push(...p.items);
    cursor = p.next_cursor ?? undefined;
    if (!cursor) break;
  }
  return out;
}

export const loadPairings = () =>
  everything((cursor) => call(api.GET("/api/v1/buddy/pairings", { params: { query: { limit: 200, cursor } } })).then((r) => r.data));
export const loadStudents = () =>
  everything((cursor) => call(api.GET("/api/v1/buddy/students", { params: { query: { limit: 200, cursor } } })).then((r) => r.data));
export const loadBuddies = () =>
  everything((cursor) => call(api.GET("/api/v1/buddy/buddies", { params: { query: { limit: 200, cursor } } })).then((r) => r.data));
export const loadCohorts = () =>
  everything((cursor) => call(api.GET("/api/v1/buddy/cohorts", { params: { query: { limit: 200, cursor } } })).then((r) => r.data));
export const loadMeetings = (id: string) =>
  everything((cursor) =>
    call(api.GET("/api/v1/buddy/pairings/{id}/meetings", { params: { path: { id }, query: { limit: 200, cursor } } })).then((r) => r.data),
  );

export function usePeople() {
  return useLoad(async () => {
    const [students, buddies, cohorts] = await Promise.all([loadStudents(), loadBuddies(), loadCohorts()]);
    return { students, buddies, cohorts };
  }, []);
}

export function statusTag(s: PairingStatus) {
  return <Tag colour={STATUS_COLOUR[s]}>{humanise(s)}</Tag>;
}

export function registered(b: Buddy) {
  return b.volunteer_status === "registered" && !!b.volunteer_verified_on;
}
