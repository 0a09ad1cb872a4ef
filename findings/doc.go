// Package findings turns a site's inventory into the ranked list of
// proactive actions an IT provider is paid to work through: pure rules over
// an inventory.Snapshot (devices with their health, lifecycle verdict and
// age, plus recent events) that each say what is wrong, why tend thinks so
// (evidence an engineer can check) and what to do.
//
// Evaluate is pure: same Input, same findings. Every finding has a stable ID
// (rule and device), so the workflow state a person gives it (acknowledged,
// snoozed until a date, resolved) survives re-evaluation; Reconcile merges a
// fresh evaluation with the stored findings and resolves automatically those
// whose condition has cleared. Score sums the open findings into a site
// health score from 0 to 100 with its components.
//
// Problems groups findings into the actions list's entries: one per
// problem, where one remedy covers many devices (a default SNMP community on
// 40 devices is one action with its device list), each with a stable key
// that alerts and PSA tickets follow until the problem clears.
package findings
