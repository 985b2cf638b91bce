//! Dropping what the server no longer needs off the path to the next
//! diagnostics.
//!
//! The model an edit replaces holds the last analysis: thousands of
//! diagnostics with their messages, the document's sentences, notes and
//! dates. Freeing them took about 2.6 M instructions a keystroke on the
//! 1 MB article (`docs/performance.md`), spent in `didChange` before the new
//! model could start. `later` hands them to one background thread instead,
//! as rust-analyzer does with its old syntax trees.

use std::sync::Mutex;
use std::sync::OnceLock;
use std::sync::mpsc::{self, Sender};

type Retired = Box<dyn Send>;

/// Drops `value` on the background dropping thread (inline if that thread
/// cannot be started or has gone).
pub fn later<T: Send + 'static>(value: T) {
    static DROPPER: OnceLock<Option<Mutex<Sender<Retired>>>> = OnceLock::new();
    let dropper = DROPPER.get_or_init(|| {
        let (sender, receiver) = mpsc::channel::<Retired>();
        std::thread::Builder::new()
            .name("aam-drop".to_owned())
            .spawn(move || receiver.into_iter().for_each(drop))
            .ok()
            .map(|_| Mutex::new(sender))
    });
    let value: Retired = Box::new(value);
    let Some(dropper) = dropper else { return drop(value) };
    let sent = dropper.lock().unwrap_or_else(std::sync::PoisonError::into_inner).send(value);
    if let Err(mpsc::SendError(value)) = sent {
        drop(value);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::mpsc;

    struct Signal(mpsc::Sender<std::thread::ThreadId>);

    impl Drop for Signal {
        fn drop(&mut self) {
            let _ = self.0.send(std::thread::current().id());
        }
    }

    #[test]
    fn a_retired_value_is_dropped_on_another_thread() {
        let (sender, receiver) = mpsc::channel();
        super::later(Signal(sender));
        let dropped_on = receiver.recv().expect("the value is dropped");
        assert_ne!(dropped_on, std::thread::current().id());
    }

    #[test]
    fn a_retired_value_still_shared_lives_on() {
        let shared = Arc::new(5);
        super::later(Arc::clone(&shared));
        // The retired clone goes; the value stays for its other owner.
        while Arc::strong_count(&shared) > 1 {
            std::thread::yield_now();
        }
        assert_eq!(*shared, 5);
    }
}
