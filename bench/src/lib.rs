//! Benchmarks of mqtt-wire against the peer MQTT 3.1.1 codecs on crates.io: the workloads,
//! one adapter per implementation (each used the way its own documentation shows), a
//! counting allocator and the report. The criterion binary is `benches/codecs.rs`; run it
//! with `cargo xtask bench` from the repository root.

pub mod catalog;
pub mod instructions;
pub mod mqtt5_protocol_peer;
pub mod mqtt_proto_peer;
pub mod mqtt_protocol_peer;
pub mod mqttrs_peer;
pub mod mqute_peer;
pub mod ours;
pub mod ours5;
pub mod report;
pub mod rmqtt_peer;
pub mod rumqttc5_peer;
pub mod rumqttc_peer;
pub mod workload;
pub mod workload5;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// The system allocator, counting allocations (and reallocations) while [`count_allocations`]
/// runs. Outside it, the cost is one relaxed load per call, so timed runs are not slowed.
pub struct CountingAllocator;

static COUNTING: AtomicBool = AtomicBool::new(false);
static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

impl CountingAllocator {
    fn note(&self) {
        if COUNTING.load(Ordering::Relaxed) {
            ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        }
    }
}

// SAFETY: every call is passed on to `System` unchanged.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        self.note();
        System.alloc(layout)
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        self.note();
        System.alloc_zeroed(layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        self.note();
        System.realloc(ptr, layout, new_size)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
}

/// Runs `f` and returns its result with the number of allocations it made. Counts only when
/// [`CountingAllocator`] is the binary's global allocator.
pub fn count_allocations<R>(f: impl FnOnce() -> R) -> (R, u64) {
    let before = ALLOCATIONS.load(Ordering::SeqCst);
    COUNTING.store(true, Ordering::SeqCst);
    let result = f();
    COUNTING.store(false, Ordering::SeqCst);
    (result, ALLOCATIONS.load(Ordering::SeqCst) - before)
}
