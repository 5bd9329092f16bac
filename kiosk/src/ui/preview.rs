//! The camera preview: the decoding thread hands each frame it reads to [`preview_fn`], which
//! keeps a small copy (at most [`MAX_WIDTH`] wide) for the window and wakes it; the window
//! turns the newest one into a texture and draws it with a framing guide.

use std::sync::{Arc, Mutex};

use eframe::egui::{self, Color32, ColorImage, Stroke, TextureHandle, TextureOptions, Ui};

use crate::frames::PreviewFn;

/// The widest preview kept (the screen shows it at most this large).
pub const MAX_WIDTH: u32 = 480;

/// The newest frame for the window.
#[derive(Default)]
pub struct PreviewSlot {
    latest: Mutex<Option<ColorImage>>,
}

impl PreviewSlot {
    /// The frame put since the last take, if any.
    pub fn take(&self) -> Option<ColorImage> {
        self.latest.lock().ok()?.take()
    }

    fn put(&self, image: ColorImage) {
        if let Ok(mut latest) = self.latest.lock() {
            *latest = Some(image);
        }
    }
}

/// A preview hook for [`crate::frames::spawn_pipeline`] that fills `slot` and wakes `ctx`.
pub fn preview_fn(slot: Arc<PreviewSlot>, ctx: egui::Context) -> PreviewFn {
    Arc::new(move |frame: &image::GrayImage| {
        let small = if frame.width() > MAX_WIDTH {
            let height = frame.height() * MAX_WIDTH / frame.width().max(1);
            image::imageops::thumbnail(frame, MAX_WIDTH, height.max(1))
        } else {
            frame.clone()
        };
        let size = [small.width() as usize, small.height() as usize];
        slot.put(ColorImage::from_gray(size, small.as_raw()));
        ctx.request_repaint();
    })
}

/// The window's side: the texture of the newest frame.
#[derive(Default)]
pub struct PreviewTexture {
    texture: Option<TextureHandle>,
}

impl PreviewTexture {
    /// Takes a new frame from `slot` into the texture.
    pub fn update(&mut self, ctx: &egui::Context, slot: &PreviewSlot) {
        if let Some(image) = slot.take() {
            match &mut self.texture {
                Some(texture) => texture.set(image, TextureOptions::LINEAR),
                None => {
                    self.texture = Some(ctx.load_texture("camera", image, TextureOptions::LINEAR));
                }
            }
        }
    }

    /// Draws the preview `width` wide with the framing guide: hold the code inside the corners.
    /// Nothing when no frame has come yet.
    pub fn show(&self, ui: &mut Ui, width: f32) {
        let Some(texture) = &self.texture else {
            return;
        };
        let size = texture.size_vec2();
        let scale = (width / size.x.max(1.0)).min(1.5);
        let response = ui.image((texture.id(), size * scale));
        let rect = response.rect.shrink2(response.rect.size() * 0.18);
        let painter = ui.painter();
        let corner = rect.width().min(rect.height()) * 0.2;
        let stroke = Stroke::new(6.0, Color32::from_rgb(245, 166, 35));
        for (point, dx, dy) in [
            (rect.left_top(), 1.0, 1.0),
            (rect.right_top(), -1.0, 1.0),
            (rect.left_bottom(), 1.0, -1.0),
            (rect.right_bottom(), -1.0, -1.0),
        ] {
            painter.line_segment([point, point + egui::vec2(dx * corner, 0.0)], stroke);
            painter.line_segment([point, point + egui::vec2(0.0, dy * corner)], stroke);
        }
    }
}
