//! `kiosk run` with a camera that is not there (this machine has none): the operator reads one
//! clear error naming the device path, the kiosk keeps running and keeps its MQTT link going,
//! and the error is not repeated on every retry.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{
    io::{BufRead, BufReader, Read},
    net::TcpListener,
    process::{Command, Stdio},
    sync::mpsc,
    time::{Duration, Instant},
};

#[test]
fn a_missing_camera_is_reported_once_and_the_kiosk_keeps_syncing() {
    let dir = tempfile::tempdir().unwrap();
    let device = dir.path().join("video7");
    // Stands in for the broker: it only has to see the kiosk's MQTT CONNECT arrive.
    let broker = TcpListener::bind("127.0.0.1:0").unwrap();
    let config = dir.path().join("kiosk.toml");
    std::fs::write(
        &config,
        format!(
            "kiosk_id = \"chuo-1\"\nbroker_url = \"mqtt://{}\"\ndata_dir = \"{}\"\n\n[camera]\ndevice = \"{}\"\n",
            broker.local_addr().unwrap(),
            dir.path().join("data").display(),
            device.display()
        ),
    )
    .unwrap();

    let mut kiosk = Command::new(env!("CARGO_BIN_EXE_kiosk"))
        .args(["run", "--headless", "--config"])
        .arg(&config)
        .env("RUST_LOG", "info")
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (lines_tx, lines) = mpsc::channel();
    let stderr = BufReader::new(kiosk.stderr.take().unwrap());
    std::thread::spawn(move || {
        for line in stderr.lines().map_while(Result::ok) {
            let _ = lines_tx.send(line);
        }
    });

    let (connect_tx, connected) = mpsc::channel();
    std::thread::spawn(move || {
        if let Ok((mut stream, _)) = broker.accept() {
            let mut first = [0u8; 1];
            let _ = stream.read_exact(&mut first);
            let _ = connect_tx.send(first[0]);
            std::thread::sleep(Duration::from_secs(30));
        }
    });

    let wanted = format!("no camera at {}", device.display());
    let mut log = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    while !log.iter().any(|l: &String| l.contains(&wanted)) && Instant::now() < deadline {
        if let Ok(line) = lines.recv_timeout(Duration::from_millis(100)) {
            log.push(line);
        }
    }
    assert!(
        connected.recv_timeout(Duration::from_secs(20)) == Ok(0x10),
        "no MQTT CONNECT from the kiosk; log:\n{}",
        log.join("\n")
    );
    // Several retries (every 2 s) later, still running, still one error line.
    std::thread::sleep(Duration::from_secs(5));
    log.extend(lines.try_iter());
    let running = kiosk.try_wait().unwrap().is_none();
    kiosk.kill().unwrap();
    kiosk.wait().unwrap();
    let shown = log.join("\n");
    assert!(running, "the kiosk stopped; log:\n{shown}");
    let errors: Vec<&String> = log.iter().filter(|l| l.contains(&wanted)).collect();
    assert_eq!(errors.len(), 1, "log:\n{shown}");
    assert!(errors[0].contains("ERROR"), "{shown}");
    assert!(errors[0].contains("trying again every 2 s"), "{shown}");
}
