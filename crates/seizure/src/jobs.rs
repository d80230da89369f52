//! A tiny work queue: scenario jobs enqueue their attack and examiner jobs when they finish,
//! and a fixed number of workers (one per core) drain it.

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex};

use crate::context::Context;

type JobFn = Box<dyn FnOnce(&Context) -> Result<Vec<Job>, String> + Send>;

pub struct Job {
    pub name: String,
    run: JobFn,
}

impl Job {
    pub fn new(
        name: impl Into<String>,
        run: impl FnOnce(&Context) -> Result<Vec<Job>, String> + Send + 'static,
    ) -> Job {
        Job { name: name.into(), run: Box::new(run) }
    }
}

struct Queue {
    waiting: VecDeque<Job>,
    running: usize,
}

/// Runs `jobs` and everything they enqueue on `workers` threads; returns the errors.
pub fn run_all(ctx: &Context, jobs: Vec<Job>, workers: usize) -> Vec<String> {
    let queue = Mutex::new(Queue { waiting: jobs.into(), running: 0 });
    let changed = Condvar::new();
    let errors = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..workers.max(1) {
            scope.spawn(|| {
                loop {
                    let job = {
                        let mut state = queue.lock().expect("queue lock");
                        loop {
                            if let Some(job) = state.waiting.pop_front() {
                                state.running += 1;
                                break Some(job);
                            }
                            if state.running == 0 {
                                break None;
                            }
                            state = changed.wait(state).expect("queue lock");
                        }
                    };
                    let Some(job) = job else {
                        changed.notify_all();
                        return;
                    };
                    let name = job.name.clone();
                    ctx.progress(format!("start {name}"));
                    let follow_ups = match (job.run)(ctx) {
                        Ok(follow_ups) => follow_ups,
                        Err(error) => {
                            ctx.progress(format!("FAILED {name}: {error}"));
                            errors.lock().expect("errors lock").push(format!("{name}: {error}"));
                            Vec::new()
                        }
                    };
                    let mut state = queue.lock().expect("queue lock");
                    state.running -= 1;
                    state.waiting.extend(follow_ups);
                    changed.notify_all();
                }
            });
        }
    });
    errors.into_inner().expect("errors lock")
}
