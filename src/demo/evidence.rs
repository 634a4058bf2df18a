//! Demo evidence for the impact screen and the board report: five months of
//! "your say" answers (a few with shared quotes), ONS4 answered twice by
//! most people (one person per ward left due, so the tablet prompts), and
//! the trust's ward figures for the last six months. Written as set-based
//! SQL so it loads in milliseconds; ids are derived from the ward and person
//! (md5), so loading again changes nothing. Answers are inserted whole, as
//! the locked table allows, with the scores the scoring rule gives.

use diesel::sql_query;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

/// The demo people, numbered per ward, with a worker of the ward to record.
const PEOPLE: &str = "WITH p AS ( \
        SELECT su.id AS su, su.ward_id, w.code, \
               (row_number() OVER (PARTITION BY su.ward_id ORDER BY su.reference) - 1)::int AS i, \
               (SELECT wa.user_id FROM ward_assignments wa JOIN users u ON u.id = wa.user_id \
                 WHERE wa.ward_id = su.ward_id AND u.role = 'peer_support_worker' \
                 ORDER BY u.username LIMIT 1) AS by \
        FROM service_users su JOIN wards w ON w.id = su.ward_id \
        WHERE su.reference LIKE 'DEMO-%')";

/// "Your say" once a month for five months per person; about one in seven
/// declined; the first person of a ward shared words in three months.
const YOUR_SAY: &str = "INSERT INTO measure_responses (id, definition_id, service_user_id, ward_id, \
        respondent, completed_at, declined, answers, scores, recorded_by, content_hash, quote, quote_consent) \
    SELECT md5(p.code || p.su::text || 'your_say' || k)::uuid, \
           (SELECT id FROM measure_definitions WHERE code = 'your_say' ORDER BY version DESC LIMIT 1), \
           p.su, p.ward_id, 'service_user', now() - make_interval(days => k * 30 + p.i * 3 + 2), \
           (p.i + k) % 7 = 6, \
           CASE WHEN (p.i + k) % 7 = 6 THEN '{}'::jsonb ELSE jsonb_build_object('items', \
               jsonb_build_object('experience', (ARRAY[5,4,5,3,4,5,2])[(p.i + k) % 7 + 1], \
                                  'listened', (ARRAY[2,2,1,2,0,2,1])[(p.i + 2 * k) % 7 + 1])) END, \
           CASE WHEN (p.i + k) % 7 = 6 THEN '{}'::jsonb ELSE jsonb_build_object( \
               'experience', (ARRAY[5,4,5,3,4,5,2])[(p.i + k) % 7 + 1], \
               'listened', (ARRAY[2,2,1,2,0,2,1])[(p.i + 2 * k) % 7 + 1]) END, \
           p.by, md5('demo' || p.su::text || k), \
           CASE WHEN p.i = 0 AND k < 3 THEN (ARRAY[ \
               'Someone who has been through it sat with me and it made the night easier.', \
               'I got to go out for a walk for the first time in weeks.', \
               'They listened and did not rush me.', \
               'It helped to talk to someone who gets it, not just staff.', \
               'The music group is the best part of my week here.', \
               'She came with me to my ward review and I said what I wanted.', \
               'I was panicking and he stayed calm with me until it passed.'])[(length(p.code) * 3 + k) % 7 + 1] END, \
           p.i = 0 AND k < 3 \
    FROM p CROSS JOIN generate_series(0, 4) AS k WHERE p.by IS NOT NULL \
    ON CONFLICT (id) DO NOTHING";

/// ONS4 on admission (about ten weeks ago) and again recently, for all but
/// the last person of each ward (for whom it is due). The answers move by
/// a different step per person: most better, one the same, one worse.
const ONS4: &str = "INSERT INTO measure_responses (id, definition_id, service_user_id, ward_id, \
        respondent, completed_at, declined, answers, scores, recorded_by, content_hash, quote, quote_consent) \
    SELECT md5(p.code || p.su::text || 'ons4' || t)::uuid, \
           (SELECT id FROM measure_definitions WHERE code = 'ons4' ORDER BY version DESC LIMIT 1), \
           p.su, p.ward_id, 'service_user', now() - make_interval(days => CASE t WHEN 0 THEN 70 + p.i ELSE 6 + p.i END), \
           false, jsonb_build_object('items', jsonb_build_object( \
               'life_satisfaction', v.ls, 'worthwhile', v.wo, 'happiness', v.ha, 'anxiety', v.an)), \
           jsonb_build_object('life_satisfaction', v.ls, 'worthwhile', v.wo, 'happiness', v.ha, \
               'low_anxiety', 10 - v.an), \
           p.by, md5('demo-ons4' || p.su::text || t), NULL, false \
    FROM p CROSS JOIN generate_series(0, 1) AS t \
    CROSS JOIN LATERAL (SELECT d, 3 + p.i % 3 + t * d AS ls, 4 + p.i % 2 + t * d AS wo, \
               3 + t * d AS ha, 7 - t * d AS an \
        FROM (SELECT (ARRAY[3, 2, 0, -1, 3, 1])[p.i % 6 + 1] AS d) s) v \
    WHERE p.by IS NOT NULL AND p.i < 5 \
    ON CONFLICT (id) DO NOTHING";

/// The trust's figures for each demo ward's last six months: restraint
/// incidents falling a little, beds mostly full.
const WARD_FIGURES: &str = "INSERT INTO ward_figures (ward_id, month, restraint_incidents, \
        occupied_bed_days, discharges, loaded_by) \
    SELECT w.id, (date_trunc('month', now() AT TIME ZONE 'Europe/London') - make_interval(months => m))::date, \
           3 + (length(w.code) + m) % 4 + m, 540 - (length(w.code) * 7 + m * 11) % 60, 4 + (length(w.code) + m) % 5, \
           (SELECT id FROM users WHERE username = 'manager') \
    FROM wards w CROSS JOIN generate_series(0, 5) AS m \
    WHERE EXISTS (SELECT 1 FROM service_users su WHERE su.ward_id = w.id AND su.reference LIKE 'DEMO-%') \
      AND EXISTS (SELECT 1 FROM users WHERE username = 'manager') \
    ON CONFLICT (ward_id, month) DO NOTHING";

/// Loads the demo evidence; returns how many rows were new.
pub async fn load(conn: &mut AsyncPgConnection) -> Result<usize, String> {
    let mut created = 0;
    for sql in [
        format!("{PEOPLE} {YOUR_SAY}"),
        format!("{PEOPLE} {ONS4}"),
        WARD_FIGURES.to_string(),
    ] {
        created += sql_query(sql)
            .execute(conn)
            .await
            .map_err(|e| e.to_string())?;
    }
    Ok(created)
}
