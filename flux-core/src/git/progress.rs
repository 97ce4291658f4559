//! Progress of a fetch: objects and bytes received, gathered from gix's
//! progress tree and reported to a caller callback.
//!
//! ```
//! use fluxcd_core::git::Progress;
//!
//! let p = Progress { objects: 10, total_objects: Some(20), bytes: 4096, phase: "receiving".into() };
//! assert_eq!(p.objects, 10);
//! ```

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use gix::progress::{
    Count, Id, MessageLevel, NestedProgress, Progress as GixProgress, Step, StepShared, Unit,
};

/// One progress report.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Progress {
    /// Objects received (indexed) so far.
    pub objects: u64,
    /// Objects announced by the server, once known.
    pub total_objects: Option<u64>,
    /// Pack bytes received so far.
    pub bytes: u64,
    /// `connecting`, `receiving`, `checkout` or `done`.
    pub phase: String,
}

const BYTES: Id = *b"BWRB";
const OBJECTS: Id = *b"IWIO";

#[derive(Default)]
pub(crate) struct Shared {
    bytes: Mutex<Vec<StepShared>>,
    objects: Mutex<Vec<(StepShared, Arc<AtomicUsize>)>>,
}

impl Shared {
    /// The current bytes and objects counts (and the announced object total, 0 if unknown).
    pub(crate) fn snapshot(&self) -> (u64, u64, u64) {
        let bytes = self
            .bytes
            .lock()
            .map(|v| v.iter().map(|c| c.load(Ordering::Relaxed) as u64).sum())
            .unwrap_or(0);
        let (objects, total) = self
            .objects
            .lock()
            .map(|v| {
                v.iter().fold((0u64, 0u64), |(o, t), (c, m)| {
                    (
                        o + c.load(Ordering::Relaxed) as u64,
                        t + m.load(Ordering::Relaxed) as u64,
                    )
                })
            })
            .unwrap_or((0, 0));
        (bytes, objects, total)
    }
}

/// A gix progress node that records the counters we report.
pub(crate) struct Tracker {
    id: Id,
    step: StepShared,
    max: Arc<AtomicUsize>,
    shared: Arc<Shared>,
}

impl Tracker {
    pub(crate) fn root(shared: Arc<Shared>) -> Tracker {
        Tracker {
            id: *b"ROOT",
            step: Arc::new(AtomicUsize::new(0)),
            max: Arc::new(AtomicUsize::new(0)),
            shared,
        }
    }

    fn child(&self, id: Id) -> Tracker {
        let t = Tracker {
            id,
            step: Arc::new(AtomicUsize::new(0)),
            max: Arc::new(AtomicUsize::new(0)),
            shared: self.shared.clone(),
        };
        if id == BYTES {
            if let Ok(mut v) = self.shared.bytes.lock() {
                v.push(t.step.clone());
            }
        } else if id == OBJECTS {
            if let Ok(mut v) = self.shared.objects.lock() {
                v.push((t.step.clone(), t.max.clone()));
            }
        }
        t
    }
}

impl Count for Tracker {
    fn set(&self, step: Step) {
        self.step.store(step, Ordering::Relaxed);
    }
    fn step(&self) -> Step {
        self.step.load(Ordering::Relaxed)
    }
    fn inc_by(&self, step: Step) {
        self.step.fetch_add(step, Ordering::Relaxed);
    }
    fn counter(&self) -> StepShared {
        self.step.clone()
    }
}

impl GixProgress for Tracker {
    fn init(&mut self, max: Option<Step>, _unit: Option<Unit>) {
        self.max.store(max.unwrap_or(0), Ordering::Relaxed);
    }
    fn set_max(&mut self, max: Option<Step>) -> Option<Step> {
        let old = self.max.swap(max.unwrap_or(0), Ordering::Relaxed);
        (old != 0).then_some(old)
    }
    fn max(&self) -> Option<Step> {
        let m = self.max.load(Ordering::Relaxed);
        (m != 0).then_some(m)
    }
    fn set_name(&mut self, _name: String) {}
    fn name(&self) -> Option<String> {
        None
    }
    fn id(&self) -> Id {
        self.id
    }
    fn message(&self, _level: MessageLevel, _message: String) {}
}

impl NestedProgress for Tracker {
    type SubProgress = Tracker;
    fn add_child(&mut self, _name: impl Into<String>) -> Tracker {
        self.child(*b"????")
    }
    fn add_child_with_id(&mut self, _name: impl Into<String>, id: Id) -> Tracker {
        self.child(id)
    }
}
