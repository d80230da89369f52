//! Overlapping the I/O of a large item with its crypto (issue 12): while worker threads seal
//! (or open) runs of blocks, the calling thread reads the next runs and writes the finished
//! ones. Without it, reading, sealing and writing take turns, sealing uses one core at a time
//! in short bursts, and a file goes in at well under half the speed of the cipher alone
//! (`cargo bench -p lethe-cli --bench files`).

use std::collections::BTreeMap;
use std::sync::{Mutex, mpsc};

/// What a worker hands back: the unit and how its work went, or the payload of a panic.
type Done<U, E> = (u64, std::thread::Result<(U, Result<(), E>)>);

/// Passes units through `fill` → `work` → `drain`. `fill` and `drain` run on the calling
/// thread (they share the mutable `cx`: the container, the source or the sink) and see the
/// units in the same order; `work` runs on `workers` threads, several units at once. `pool`
/// holds the units that circulate: its length is how many runs are in flight. `fill` returns
/// false when the input is done (that unit is not used). The first error stops the pipeline:
/// nothing after it is drained, and every worker has ended when this returns. With fewer than
/// two units or no worker, everything runs on the calling thread, one unit after the other.
pub(crate) fn run<C, U, E>(
    cx: &mut C,
    pool: Vec<U>,
    workers: usize,
    mut fill: impl FnMut(&mut C, &mut U) -> Result<bool, E>,
    work: impl Fn(&mut U) -> Result<(), E> + Sync,
    mut drain: impl FnMut(&mut C, &mut U) -> Result<(), E>,
) -> Result<(), E>
where
    U: Send,
    E: Send,
{
    if workers == 0 || pool.len() < 2 {
        for mut unit in pool.into_iter().take(1) {
            while fill(cx, &mut unit)? {
                work(&mut unit)?;
                drain(cx, &mut unit)?;
            }
        }
        return Ok(());
    }
    let (to_workers, jobs) = mpsc::channel::<(u64, U)>();
    let jobs = Mutex::new(jobs);
    std::thread::scope(|scope| {
        let (done_tx, done) = mpsc::channel::<Done<U, E>>();
        let (jobs, work) = (&jobs, &work);
        for _ in 0..workers {
            let done_tx = done_tx.clone();
            scope.spawn(move || {
                loop {
                    // The lock is held only while waiting for a job, never while working.
                    let job = match jobs.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => break,
                    };
                    let Ok((seq, mut unit)) = job else { break };
                    // A panic in `work` is handed to the calling thread, which re-raises it,
                    // instead of leaving it waiting for a unit that never comes back.
                    let worked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        let r = work(&mut unit);
                        (unit, r)
                    }));
                    if done_tx.send((seq, worked)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(done_tx);
        let mut free = pool;
        let mut ready = BTreeMap::new();
        let (mut next_fill, mut next_drain) = (0u64, 0u64);
        let mut input_done = false;
        let result = loop {
            // Keep the workers supplied: fill every free unit first.
            if !input_done && let Some(mut unit) = free.pop() {
                match fill(cx, &mut unit) {
                    Ok(true) => {
                        // Workers stop only when this sender is dropped.
                        let _ = to_workers.send((next_fill, unit));
                        next_fill += 1;
                        continue;
                    }
                    Ok(false) => {
                        input_done = true;
                        free.push(unit);
                    }
                    Err(e) => break Err(e),
                }
            }
            if next_drain == next_fill {
                break Ok(());
            }
            if let Some((mut unit, worked)) = ready.remove(&next_drain) {
                next_drain += 1;
                match worked {
                    Ok(()) => {
                        if let Err(e) = drain(cx, &mut unit) {
                            break Err(e);
                        }
                    }
                    Err(e) => break Err(e),
                }
                free.push(unit);
                continue;
            }
            match done.recv() {
                Ok((seq, Ok(finished))) => {
                    ready.insert(seq, finished);
                }
                Ok((_, Err(panic))) => {
                    drop(to_workers);
                    std::panic::resume_unwind(panic);
                }
                // Every worker is gone without handing its unit back: they only end early
                // when a panic ends them, which the scope re-raises.
                Err(_) => break Ok(()),
            }
        };
        drop(to_workers);
        result
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_come_out_in_order_and_all_of_them() {
        for (workers, depth) in [(0, 4), (1, 1), (1, 2), (2, 3), (4, 8)] {
            let mut cx = (0u32, Vec::new());
            let r: Result<(), ()> = run(
                &mut cx,
                vec![0u32; depth],
                workers,
                |cx, u| {
                    cx.0 += 1;
                    *u = cx.0;
                    Ok(cx.0 <= 100)
                },
                |u| {
                    // Uneven work, so that later units often finish first.
                    if *u % 3 == 0 {
                        std::thread::sleep(std::time::Duration::from_micros(300));
                    }
                    *u *= 2;
                    Ok(())
                },
                |cx, u| {
                    cx.1.push(*u);
                    Ok(())
                },
            );
            assert_eq!(r, Ok(()));
            assert_eq!(cx.1, (1..=100).map(|n| n * 2).collect::<Vec<_>>(), "{workers} workers, depth {depth}");
        }
    }

    #[test]
    fn the_first_error_stops_it_and_nothing_after_is_drained() {
        for failing in ["fill", "work", "drain"] {
            for (workers, depth) in [(0, 1), (2, 2), (3, 5)] {
                let mut cx = (0u32, Vec::new());
                let r = run(
                    &mut cx,
                    vec![0u32; depth],
                    workers,
                    |cx, u| {
                        cx.0 += 1;
                        *u = cx.0;
                        if failing == "fill" && cx.0 == 5 { Err(5) } else { Ok(cx.0 <= 100) }
                    },
                    |u| if failing == "work" && *u == 5 { Err(5) } else { Ok(()) },
                    |cx, u| {
                        if failing == "drain" && *u == 5 {
                            return Err(5);
                        }
                        cx.1.push(*u);
                        Ok(())
                    },
                );
                assert_eq!(r, Err(5), "{failing}");
                // Whatever was drained came in order and stopped before unit 5.
                let drained = &cx.1;
                assert!(drained.len() <= 4 && drained.iter().copied().eq(1..=drained.len() as u32), "{failing}");
                if failing != "fill" {
                    assert_eq!(drained, &[1, 2, 3, 4], "{failing}, {workers} workers, depth {depth}");
                }
            }
        }
    }

    /// A panic in a worker reaches the caller instead of leaving it waiting.
    #[test]
    fn a_panicking_worker_is_not_a_hang() {
        let r = std::panic::catch_unwind(|| {
            let mut n = 0u32;
            let _: Result<(), ()> = run(
                &mut n,
                vec![0u32; 4],
                2,
                |n, u| {
                    *n += 1;
                    *u = *n;
                    Ok(*n <= 50)
                },
                |u| {
                    assert!(*u != 7, "unit 7");
                    Ok(())
                },
                |_, _| Ok(()),
            );
        });
        assert!(r.is_err());
    }

    /// The point of it: the next unit is filled while a worker is busy with another, and
    /// two workers work at the same time. Control: one unit in flight overlaps nothing.
    #[test]
    fn filling_overlaps_the_work_and_workers_overlap() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let measure = |workers: usize, depth: usize| {
            let busy = AtomicUsize::new(0);
            let most_busy = AtomicUsize::new(0);
            let mut filled_while_busy = (0u32, false);
            let r: Result<(), ()> = run(
                &mut filled_while_busy,
                vec![(); depth],
                workers,
                |cx, _| {
                    std::thread::sleep(std::time::Duration::from_millis(2));
                    cx.1 |= busy.load(Ordering::SeqCst) > 0;
                    cx.0 += 1;
                    Ok(cx.0 <= 12)
                },
                |_| {
                    let now = busy.fetch_add(1, Ordering::SeqCst) + 1;
                    most_busy.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(std::time::Duration::from_millis(20));
                    busy.fetch_sub(1, Ordering::SeqCst);
                    Ok(())
                },
                |_, _| Ok(()),
            );
            r.unwrap();
            (filled_while_busy.1, most_busy.load(Ordering::SeqCst))
        };
        assert_eq!(measure(2, 1), (false, 1), "control: one unit in flight overlaps nothing");
        let (overlapped, most) = measure(2, 4);
        assert!(overlapped, "a fill must meet a worker at work");
        assert_eq!(most, 2, "both workers must work at once");
    }
}
