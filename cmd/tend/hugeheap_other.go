//go:build !linux || !(amd64 || arm64)

package main

// hugeHeapMin: see hugeheap_linux.go; elsewhere replay asks for nothing.
const hugeHeapMin = 1 << 62

func adviseHugeHeap() (start, end uintptr) { return 0, 0 }
