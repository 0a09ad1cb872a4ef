// Package settings reads what tend is told besides its command line: the
// settings file of serve and hub (--config: one flag per line as
// "name = value", flags on the command line override it) and credential
// files (--community-file, --snmp-v3-file: one secret per line). A file
// that holds a secret must be readable by its owner only, or tend refuses
// to start: secrets stay out of argv and out of world-readable files.
package settings
