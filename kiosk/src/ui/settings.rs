//! The `[ui]` settings of `kiosk.toml`.

use std::{fmt, path::PathBuf};

use serde::Deserialize;

/// How the touchscreen app looks and who may open its staff screens.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UiSettings {
    /// The staff screens' PIN (digits); none or empty turns staff screens off.
    #[serde(default)]
    pub staff_pin: Option<String>,
    /// A CJK font file (`.ttf`, `.otf` or `.ttc`); Debian's Noto Sans CJK when unset.
    #[serde(default)]
    pub font: Option<PathBuf>,
    /// Full screen (the appliance) or a window (development).
    #[serde(default = "yes")]
    pub fullscreen: bool,
    /// The window's size when not full screen, `[width, height]` in pixels.
    #[serde(default = "default_size")]
    pub window_size: [u32; 2],
    /// The time zone of the clock on screen (the center's, once its configuration arrives).
    #[serde(default = "default_zone")]
    pub time_zone: String,
}

fn yes() -> bool {
    true
}
fn default_size() -> [u32; 2] {
    [1024, 600]
}
fn default_zone() -> String {
    "Asia/Tokyo".to_owned()
}

impl Default for UiSettings {
    fn default() -> Self {
        Self {
            staff_pin: None,
            font: None,
            fullscreen: yes(),
            window_size: default_size(),
            time_zone: default_zone(),
        }
    }
}

impl fmt::Debug for UiSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UiSettings")
            .field("staff_pin", &self.staff_pin.as_ref().map(|_| "(hidden)"))
            .field("font", &self.font)
            .field("fullscreen", &self.fullscreen)
            .field("window_size", &self.window_size)
            .field("time_zone", &self.time_zone)
            .finish()
    }
}
