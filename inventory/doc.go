// Package inventory is tend's vocabulary: the device, the observation a sensor
// makes of one, the pure Merge that folds observations into devices, and the
// events, findings and snapshots computed from them.
//
// It imports nothing of tend's and holds no state, so every other package can
// depend on it: sensors (discovery, snmp, traffic) produce Observations,
// storage persists Devices, and the UI and upstream read them.
package inventory
