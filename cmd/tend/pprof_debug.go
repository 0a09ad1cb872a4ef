//go:build tendpprof

package main

import _ "tend/internal/pprofserve" // a debugging build's profiler (internal/pprofserve)
