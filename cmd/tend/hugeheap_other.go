//go:build !linux

package main

// hugeHeapMin: see hugeheap_linux.go; elsewhere replay asks for nothing.
const hugeHeapMin = 1 << 62

func adviseHugeHeap() {}
