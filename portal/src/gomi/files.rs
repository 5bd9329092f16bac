//! The 5374 files in a folder, for `portal garbage import-5374` and `export-5374`.

use std::path::Path;

use anyhow::Context as _;

use crate::garbage::Five374Files;

/// Reads the files from `folder` (`remarks.csv` may be missing).
pub fn read_folder(folder: &Path) -> anyhow::Result<Five374Files> {
    let read = |name: &str| {
        let path = folder.join(name);
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))
    };
    let remarks = folder.join("remarks.csv");
    Ok(Five374Files {
        area_days: read("area_days.csv")?,
        center: read("center.csv")?,
        description: read("description.csv")?,
        target: read("target.csv")?,
        remarks: remarks.exists().then(|| read("remarks.csv")).transpose()?,
    })
}

/// Writes the files into `folder`, creating it.
pub fn write_folder(folder: &Path, files: &Five374Files) -> anyhow::Result<()> {
    std::fs::create_dir_all(folder).with_context(|| format!("creating {}", folder.display()))?;
    let write = |name: &str, text: &str| {
        let path = folder.join(name);
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))
    };
    write("area_days.csv", &files.area_days)?;
    write("center.csv", &files.center)?;
    write("description.csv", &files.description)?;
    write("target.csv", &files.target)?;
    if let Some(remarks) = &files.remarks {
        write("remarks.csv", remarks)?;
    }
    Ok(())
}
