// Package config holds the settings of `userpool serve`. One list of
// options feeds the flags, the environment variables and the README's
// table, so the three cannot disagree; a flag wins over its environment
// variable, which wins over the default.
package config
