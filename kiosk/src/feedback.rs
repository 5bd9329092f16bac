//! Feedback besides the screen: lamps, a buzzer and an optional door-release relay, behind the
//! [`Feedback`] trait.
//!
//! [`LogFeedback`] only logs (tests, a kiosk without lamps). [`GpioFeedback`] drives GPIO lines
//! through the Linux GPIO character device (`/dev/gpiochipN`) with the `gpiocdev` crate.
//!
//! Why gpiocdev and not rppal (the design card's choice): rppal has been unmaintained since
//! mid-2025, and it drives the Pi's GPIO registers through `/dev/gpiomem`, which depends on
//! the SoC (the Pi 5 moved GPIO to the RP1 chip). The character device is the kernel's stable
//! interface, the same on every Pi and every other Linux board, needs only membership of the
//! `gpio` group, and gpiocdev is pure Rust, so this file builds and its types check on x86 CI.

use std::{sync::mpsc, thread, time::Duration};

use crate::config::FeedbackSettings;

/// What to signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// A check-in or check-out was recorded: green lamp, short beep.
    Accepted,
    /// Refused: red lamp, long beep.
    Refused,
    /// The same answer again (the phone still held up): nothing new, no beep.
    Repeat,
}

/// Lamps and buzzer.
pub trait Feedback: Send {
    /// Signals `signal`; returns at once (the lamps go off by themselves).
    fn signal(&mut self, signal: Signal);
}

/// Feedback that only writes to the log.
#[derive(Debug, Clone, Copy, Default)]
pub struct LogFeedback;

impl Feedback for LogFeedback {
    fn signal(&mut self, signal: Signal) {
        tracing::debug!(?signal, "feedback");
    }
}

/// Why the GPIO lines could not be had.
#[derive(Debug, thiserror::Error)]
#[error("GPIO {chip}: {detail}")]
pub struct GpioError {
    /// The chip.
    pub chip: String,
    /// What went wrong.
    pub detail: String,
}

/// Lamps and buzzer on GPIO lines. A worker thread owns the lines; [`Feedback::signal`] only
/// sends it a message, so a pulse never holds up scanning.
#[derive(Debug)]
pub struct GpioFeedback {
    to_worker: mpsc::Sender<Signal>,
}

impl GpioFeedback {
    /// Requests the configured lines as outputs (all off) and starts the worker.
    #[cfg(target_os = "linux")]
    pub fn open(settings: &FeedbackSettings) -> Result<Self, GpioError> {
        use gpiocdev::line::Value;
        let error = |detail: String| GpioError {
            chip: settings.chip.display().to_string(),
            detail,
        };
        let lines: Vec<u32> = [
            settings.accepted_line,
            settings.refused_line,
            settings.buzzer_line,
            settings.door_line,
        ]
        .into_iter()
        .flatten()
        .collect();
        if lines.is_empty() {
            return Err(error(
                "feedback.kind is gpio but no line is configured".into(),
            ));
        }
        let request = gpiocdev::Request::builder()
            .on_chip(&settings.chip)
            .with_consumer("shimin-kiosk")
            .with_lines(&lines)
            .as_output(Value::Inactive)
            .request()
            .map_err(|e| error(e.to_string()))?;
        let (to_worker, signals) = mpsc::channel();
        let plan = Plan::from(settings);
        thread::Builder::new()
            .name("gpio".into())
            .spawn(move || {
                let set = |line: u32, on: bool| {
                    let value = if on { Value::Active } else { Value::Inactive };
                    if let Err(e) = request.set_value(line, value) {
                        tracing::warn!(line, error = %e, "cannot set a GPIO line");
                    }
                };
                for signal in signals {
                    for (line, on, wait) in plan.steps(signal) {
                        set(line, on);
                        thread::sleep(wait);
                    }
                }
            })
            .map_err(|e| error(e.to_string()))?;
        Ok(Self { to_worker })
    }

    /// GPIO is Linux-only; elsewhere opening fails with a clear message.
    #[cfg(not(target_os = "linux"))]
    pub fn open(settings: &FeedbackSettings) -> Result<Self, GpioError> {
        Err(GpioError {
            chip: settings.chip.display().to_string(),
            detail: "GPIO feedback needs Linux".into(),
        })
    }
}

impl Feedback for GpioFeedback {
    fn signal(&mut self, signal: Signal) {
        if self.to_worker.send(signal).is_err() {
            tracing::warn!("the GPIO worker has stopped");
        }
    }
}

/// Which line does what, and for how long (pure, so the timing is testable).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Plan {
    accepted: Option<u32>,
    refused: Option<u32>,
    buzzer: Option<u32>,
    door: Option<u32>,
    pulse: Duration,
    door_open: Duration,
}

impl From<&FeedbackSettings> for Plan {
    fn from(settings: &FeedbackSettings) -> Self {
        Self {
            accepted: settings.accepted_line,
            refused: settings.refused_line,
            buzzer: settings.buzzer_line,
            door: settings.door_line,
            pulse: Duration::from_millis(settings.pulse_ms),
            door_open: Duration::from_millis(settings.door_ms),
        }
    }
}

impl Plan {
    /// The steps of a signal: (line, on?, then wait), lines not fitted left out.
    fn steps(&self, signal: Signal) -> Vec<(u32, bool, Duration)> {
        let (lamp, beep, door) = match signal {
            Signal::Accepted => (self.accepted, self.pulse / 5, self.door),
            Signal::Refused => (self.refused, self.pulse / 2, None),
            Signal::Repeat => return Vec::new(),
        };
        // When each line goes on and off, from the start of the signal.
        let mut timeline: Vec<(Duration, u32, bool)> = Vec::new();
        let mut pulse = |line: Option<u32>, length: Duration| {
            if let Some(line) = line {
                timeline.push((Duration::ZERO, line, true));
                timeline.push((length, line, false));
            }
        };
        pulse(door, self.door_open);
        pulse(lamp, self.pulse);
        pulse(self.buzzer, beep);
        // Stable: at the same instant, lines go on in the order above, and off after.
        timeline.sort_by_key(|(at, _, on)| (*at, !*on));
        let mut steps = Vec::with_capacity(timeline.len());
        for (i, (at, line, on)) in timeline.iter().enumerate() {
            let next = timeline.get(i + 1).map_or(*at, |(next, _, _)| *next);
            steps.push((*line, *on, next.saturating_sub(*at)));
        }
        steps
    }
}

/// The feedback the settings ask for.
pub fn from_settings(settings: &FeedbackSettings) -> Result<Box<dyn Feedback>, GpioError> {
    match settings.kind.as_str() {
        "gpio" => Ok(Box::new(GpioFeedback::open(settings)?)),
        _ => Ok(Box::new(LogFeedback)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted_beeps_short_refused_long_and_a_repeat_is_silent() {
        let settings = FeedbackSettings {
            kind: "gpio".into(),
            accepted_line: Some(17),
            refused_line: Some(27),
            buzzer_line: Some(22),
            pulse_ms: 1000,
            ..FeedbackSettings::default()
        };
        let plan = Plan::from(&settings);
        let ms = Duration::from_millis;
        assert_eq!(
            plan.steps(Signal::Accepted),
            [
                (17, true, ms(0)),
                (22, true, ms(200)),
                (22, false, ms(800)),
                (17, false, ms(0)),
            ]
        );
        assert_eq!(
            plan.steps(Signal::Refused),
            [
                (27, true, ms(0)),
                (22, true, ms(500)),
                (22, false, ms(500)),
                (27, false, ms(0)),
            ]
        );
        assert!(plan.steps(Signal::Repeat).is_empty());
    }

    #[test]
    fn the_door_is_released_on_an_accepted_scan_only_and_for_its_own_time() {
        let settings = FeedbackSettings {
            kind: "gpio".into(),
            accepted_line: Some(17),
            door_line: Some(23),
            pulse_ms: 1000,
            door_ms: 5000,
            ..FeedbackSettings::default()
        };
        let plan = Plan::from(&settings);
        let ms = Duration::from_millis;
        assert_eq!(
            plan.steps(Signal::Accepted),
            [
                (23, true, ms(0)),
                (17, true, ms(1000)),
                (17, false, ms(4000)),
                (23, false, ms(0)),
            ]
        );
        // A refusal lights the red lamp (none fitted here) and leaves the door shut.
        assert!(plan.steps(Signal::Refused).is_empty());
        // A door released for less than the lamp: it closes first.
        let short = Plan {
            door_open: ms(300),
            ..plan
        };
        let steps = short.steps(Signal::Accepted);
        assert_eq!(steps[1], (17, true, ms(300)));
        assert_eq!(steps[2], (23, false, ms(700)));
    }

    #[test]
    fn gpio_without_lines_or_chip_fails_clearly() {
        let mut settings = FeedbackSettings {
            kind: "gpio".into(),
            ..FeedbackSettings::default()
        };
        let err = from_settings(&settings).err().unwrap();
        assert!(err.to_string().contains("no line"), "{err}");
        settings.accepted_line = Some(17);
        settings.chip = "/nonexistent/gpiochip9".into();
        assert!(from_settings(&settings).is_err());
    }
}
