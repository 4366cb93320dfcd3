//! CronJob controller: standard five-field schedules (and `@hourly`-style macros) in UTC, a Job
//! per due time, `lastScheduleTime`, `active` and history limits.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

use super::events::EventSpec;
use super::meta;
use crate::util;

/// A parsed schedule: allowed minute, hour, day of month, month, day of week.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    fields: [Vec<bool>; 5],
    dom_any: bool,
    dow_any: bool,
}

const RANGES: [(u32, u32); 5] = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 7)];

fn parse_field(s: &str, (lo, hi): (u32, u32)) -> Option<Vec<bool>> {
    let mut set = vec![false; hi as usize + 1];
    for part in s.split(',') {
        let (range, step) = match part.split_once('/') {
            Some((r, st)) => (r, st.parse::<u32>().ok().filter(|s| *s > 0)?),
            None => (part, 1),
        };
        let (a, b) = if range == "*" || range == "?" {
            (lo, hi)
        } else if let Some((a, b)) = range.split_once('-') {
            (a.parse().ok()?, b.parse().ok()?)
        } else {
            let a: u32 = range.parse().ok()?;
            (a, if part.contains('/') { hi } else { a })
        };
        if a < lo || b > hi || a > b {
            return None;
        }
        let mut v = a;
        while v <= b {
            set[v as usize] = true;
            v += step;
        }
    }
    Some(set)
}

impl Schedule {
    /// Parses `*/5 * * * *`, `0 3 * * 1-5`, `@hourly`, `@daily`, ...
    pub fn parse(s: &str) -> Option<Schedule> {
        let s = s.trim();
        let s = s
            .strip_prefix("TZ=UTC ")
            .or_else(|| s.strip_prefix("CRON_TZ=UTC "))
            .unwrap_or(s);
        let expanded = match s {
            "@yearly" | "@annually" => "0 0 1 1 *",
            "@monthly" => "0 0 1 * *",
            "@weekly" => "0 0 * * 0",
            "@daily" | "@midnight" => "0 0 * * *",
            "@hourly" => "0 * * * *",
            other => other,
        };
        let parts: Vec<&str> = expanded.split_whitespace().collect();
        if parts.len() != 5 {
            return None;
        }
        let mut fields: [Vec<bool>; 5] = Default::default();
        for (i, p) in parts.iter().enumerate() {
            fields[i] = parse_field(p, RANGES[i])?;
        }
        // Sunday is 0 or 7.
        if fields[4][7] {
            fields[4][0] = true;
        }
        Some(Schedule {
            fields,
            dom_any: parts[2] == "*" || parts[2] == "?",
            dow_any: parts[4] == "*" || parts[4] == "?",
        })
    }

    fn matches(&self, t: SystemTime) -> bool {
        let secs = t.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs();
        let days = secs / 86_400;
        let (min, hour) = ((secs / 60 % 60) as usize, (secs / 3600 % 24) as usize);
        let dow = ((days + 4) % 7) as usize;
        let date = util::rfc3339(t);
        let month: usize = date[5..7].parse().unwrap_or(1);
        let dom: usize = date[8..10].parse().unwrap_or(1);
        let day_ok = match (self.dom_any, self.dow_any) {
            (false, false) => self.fields[2][dom] || self.fields[4][dow],
            _ => self.fields[2][dom] && self.fields[4][dow],
        };
        self.fields[0][min] && self.fields[1][hour] && self.fields[3][month] && day_ok
    }

    /// The latest scheduled time in `(after, until]`, if any (looking back at most a day).
    pub fn last_between(&self, after: SystemTime, until: SystemTime) -> Option<SystemTime> {
        let until_min = until
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs()
            / 60
            * 60;
        let mut t = UNIX_EPOCH + Duration::from_secs(until_min);
        for _ in 0..(24 * 60) {
            if t <= after {
                return None;
            }
            if self.matches(t) {
                return Some(t);
            }
            t -= Duration::from_secs(60);
        }
        None
    }
}

/// What a CronJob needs.
#[derive(Debug, Clone, Default)]
pub struct CronPlan {
    /// A Job to create.
    pub create: Option<Value>,
    /// Finished Jobs beyond the history limits (names).
    pub delete: Vec<String>,
    /// The new `status`.
    pub status: Value,
    /// Events.
    pub events: Vec<EventSpec>,
}

fn job_finished(job: &Value) -> Option<bool> {
    ["Complete", "Failed"].iter().find_map(|t| {
        meta::condition(job, t)
            .filter(|c| c["status"] == "True")
            .map(|_| *t == "Complete")
    })
}

/// Plans a CronJob given the Jobs it controls.
pub fn plan(cj: &Value, jobs: &[Value], now: SystemTime) -> CronPlan {
    let mut plan = CronPlan::default();
    let name = meta::name(cj);
    let mut status = if cj["status"].is_object() {
        cj["status"].clone()
    } else {
        json!({})
    };
    let since = status["lastScheduleTime"]
        .as_str()
        .or(cj["metadata"]["creationTimestamp"].as_str())
        .and_then(util::parse_rfc3339)
        .unwrap_or(now);
    let suspended = cj["spec"]["suspend"].as_bool() == Some(true);
    let live: Vec<&Value> = jobs.iter().filter(|j| !meta::terminating(j)).collect();
    let running: Vec<&&Value> = live.iter().filter(|j| job_finished(j).is_none()).collect();
    let forbid = cj["spec"]["concurrencyPolicy"] == "Forbid";
    if let (false, Some(sched)) = (
        suspended,
        Schedule::parse(cj["spec"]["schedule"].as_str().unwrap_or_default()),
    ) && let Some(due) = sched.last_between(since, now)
        && (!forbid || running.is_empty())
    {
        let minutes = due.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs() / 60;
        let job_name = format!("{name}-{minutes}");
        let tmpl = &cj["spec"]["jobTemplate"];
        let mut labels = tmpl["metadata"]["labels"].clone();
        if !labels.is_object() {
            labels = json!({});
        }
        let mut annotations = tmpl["metadata"]["annotations"].clone();
        if !annotations.is_object() {
            annotations = json!({});
        }
        annotations["batch.kubernetes.io/cronjob-scheduled-timestamp"] = json!(util::rfc3339(due));
        plan.create = Some(json!({
            "apiVersion": "batch/v1",
            "kind": "Job",
            "metadata": {"name": job_name, "namespace": meta::namespace(cj), "labels": labels, "annotations": annotations,
                "ownerReferences": [meta::owner_ref("batch/v1", "CronJob", cj)]},
            "spec": tmpl["spec"].clone(),
        }));
        plan.events.push(EventSpec::normal(
            "cronjob-controller",
            "SuccessfulCreate",
            format!("Created job {job_name}"),
        ));
        status["lastScheduleTime"] = json!(util::rfc3339(due));
    }
    // History limits.
    let keep_ok = cj["spec"]["successfulJobsHistoryLimit"]
        .as_u64()
        .unwrap_or(3) as usize;
    let keep_failed = cj["spec"]["failedJobsHistoryLimit"].as_u64().unwrap_or(1) as usize;
    for (want, keep) in [(true, keep_ok), (false, keep_failed)] {
        let mut done: Vec<&&Value> = live
            .iter()
            .filter(|j| job_finished(j) == Some(want))
            .collect();
        done.sort_by_key(|j| {
            j["metadata"]["creationTimestamp"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        });
        if done.len() > keep {
            plan.delete.extend(
                done[..done.len() - keep]
                    .iter()
                    .map(|j| meta::name(j).to_string()),
            );
        }
    }
    if let Some(t) = live
        .iter()
        .filter(|j| job_finished(j) == Some(true))
        .filter_map(|j| j["status"]["completionTime"].as_str())
        .max()
    {
        status["lastSuccessfulTime"] = json!(t);
    }
    let active: Vec<Value> = running
        .iter()
        .map(|j| json!({"apiVersion": "batch/v1", "kind": "Job", "name": meta::name(j), "namespace": meta::namespace(j), "uid": meta::uid(j)}))
        .collect();
    if active.is_empty() {
        if let Some(m) = status.as_object_mut() {
            m.remove("active");
        }
    } else {
        status["active"] = json!(active);
    }
    plan.status = status;
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> SystemTime {
        util::parse_rfc3339(s).unwrap()
    }

    #[test]
    fn parses_and_matches_schedules() {
        let every5 = Schedule::parse("*/5 * * * *").unwrap();
        assert_eq!(
            every5.last_between(at("2024-01-01T10:00:00Z"), at("2024-01-01T10:12:30Z")),
            Some(at("2024-01-01T10:10:00Z"))
        );
        assert_eq!(
            every5.last_between(at("2024-01-01T10:10:00Z"), at("2024-01-01T10:12:30Z")),
            None
        );
        // 2024-01-01 is a Monday.
        let weekdays = Schedule::parse("30 9 * * 1-5").unwrap();
        assert_eq!(
            weekdays.last_between(at("2023-12-30T00:00:00Z"), at("2024-01-01T12:00:00Z")),
            Some(at("2024-01-01T09:30:00Z"))
        );
        let sunday = Schedule::parse("0 0 * * 7").unwrap();
        assert!(sunday.matches(at("2023-12-31T00:00:00Z")));
        assert!(Schedule::parse("@hourly").is_some());
        for bad in ["", "* * * *", "61 * * * *", "*/0 * * * *", "a * * * *"] {
            assert!(Schedule::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn creates_a_job_when_due_and_trims_history() {
        let cj = json!({"metadata": {"name": "tick", "namespace": "demo", "uid": "c", "creationTimestamp": "2024-01-01T10:00:30Z"},
            "spec": {"schedule": "* * * * *", "successfulJobsHistoryLimit": 1,
                "jobTemplate": {"spec": {"template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "c", "image": "busybox"}]}}}}}});
        let p = plan(&cj, &[], at("2024-01-01T10:01:10Z"));
        let job = p.create.expect("a job");
        assert_eq!(
            meta::name(&job),
            format!(
                "tick-{}",
                at("2024-01-01T10:01:00Z")
                    .duration_since(UNIX_EPOCH)
                    .unwrap()
                    .as_secs()
                    / 60
            )
        );
        assert_eq!(job["metadata"]["ownerReferences"][0]["kind"], "CronJob");
        assert_eq!(p.status["lastScheduleTime"], "2024-01-01T10:01:00Z");
        let done = |n: &str, t: &str| json!({"metadata": {"name": n, "creationTimestamp": t}, "status": {"completionTime": t, "conditions": [{"type": "Complete", "status": "True"}]}});
        let mut cj2 = cj.clone();
        cj2["status"] = p.status;
        let p2 = plan(
            &cj2,
            &[
                done("a", "2024-01-01T10:00:00Z"),
                done("b", "2024-01-01T10:01:00Z"),
            ],
            at("2024-01-01T10:01:20Z"),
        );
        assert!(p2.create.is_none());
        assert_eq!(p2.delete, vec!["a"]);
        assert_eq!(p2.status["lastSuccessfulTime"], "2024-01-01T10:01:00Z");
    }
}
