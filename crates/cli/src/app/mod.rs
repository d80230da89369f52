//! The full-screen terminal app (issue 6): `lethe app VAULT`, or `lethe` alone when
//! `LETHE_VAULT` names a container.
//!
//! The app is thin: every rule lives in lethe-vault and lethe-remit. It runs in the
//! terminal's alternate screen and clears it on exit (also after an error or a crash), never
//! prints to stdout/stderr while it runs, and keeps its settings inside the container.
//! Keys: see docs/USER_GUIDE.md.

// Shared pieces (no screen imports them the other way round).
pub mod container;
pub mod errors;
pub mod files;
pub mod fit;
pub mod forms;
pub mod i18n;
pub mod inbox;
pub mod jobs;
pub mod keys;
pub mod settings;
pub mod snapshot;
pub mod strength;
pub mod text;
pub mod texts;
pub mod widgets;
pub mod wrap;
// One module per screen, then the app that switches between them and draws them.
pub mod screens;
pub mod state;
pub mod view;

#[cfg(test)]
mod tests;

use crate::exit::{CmdResult, Exit, Failure};
use container::FileContainer;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste, Event, KeyEventKind};
use ratatui::crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, SetTitle, disable_raw_mode, enable_raw_mode,
};
use ratatui::crossterm::{cursor, execute};
use state::App;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The environment variable naming the container `lethe` alone opens.
pub const VAULT_ENV: &str = "LETHE_VAULT";

/// The container `lethe` with no arguments opens, if any: the path in `LETHE_VAULT`.
pub fn default_vault() -> Option<PathBuf> {
    std::env::var_os(VAULT_ENV).filter(|v| !v.is_empty()).map(PathBuf::from)
}

/// Puts the terminal back as it was: leaves raw mode and the alternate screen, after
/// clearing it, so no plaintext or QR code stays in the terminal's scrollback.
fn restore_terminal() {
    let mut out = std::io::stdout();
    let _ =
        execute!(out, Clear(ClearType::All), DisableBracketedPaste, LeaveAlternateScreen, cursor::Show, SetTitle(""));
    let _ = disable_raw_mode();
    let _ = out.flush();
}

/// Restores the terminal when the app ends in any way that unwinds.
struct TerminalGuard;

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore_terminal();
    }
}

pub fn run(vault: &Path) -> CmdResult {
    // No container there yet: the app offers to make one (first start).
    let first_start = match std::fs::metadata(vault) {
        Ok(m) if m.is_file() => false,
        Ok(_) => return Err(Failure::new(Exit::Usage, format!("{} is not a file", vault.display()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => true,
        Err(e) => return Err(Failure::new(Exit::Io, format!("cannot open {}: {e}", vault.display()))),
    };
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        if first_start {
            return Err(Failure::new(
                Exit::Usage,
                format!(
                    "there is no container at {} (create one with `lethe init`, or run `lethe app` in a terminal)",
                    vault.display()
                ),
            ));
        }
        return Err(Failure::new(Exit::Usage, "the app needs a terminal; for scripts use the other commands"));
    }
    // Release builds abort on panic, so Drop guards would not run: restore the terminal in
    // the hook, and print no panic message (it could name what was on screen).
    std::panic::set_hook(Box::new(|info| {
        restore_terminal();
        let place = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        eprintln!("lethe: internal error{place}; the terminal was cleared.");
    }));
    let container = Arc::new(FileContainer { path: vault.to_path_buf(), kdf: crate::KDF });
    enable_raw_mode().map_err(|e| Failure::new(Exit::Io, format!("cannot set up the terminal: {e}")))?;
    let guard = TerminalGuard;
    let mut out = std::io::stdout();
    execute!(out, EnterAlternateScreen, EnableBracketedPaste, Clear(ClearType::All))
        .map_err(|e| Failure::new(Exit::Io, format!("cannot set up the terminal: {e}")))?;
    let mut terminal = Terminal::new(CrosstermBackend::new(std::io::stdout()))
        .map_err(|e| Failure::new(Exit::Io, format!("cannot set up the terminal: {e}")))?;
    let app = if first_start {
        App::first_start(container, vault.display().to_string(), Instant::now())
    } else {
        App::new(container, Instant::now())
    };
    let result = event_loop(&mut terminal, app);
    drop(terminal);
    drop(guard);
    result.map_err(|e| Failure::new(Exit::Io, format!("terminal error: {e}")))
}

fn event_loop(terminal: &mut Terminal<CrosstermBackend<std::io::Stdout>>, mut app: App) -> std::io::Result<()> {
    let mut title = "";
    loop {
        let size = terminal.size()?;
        // Forms use the whole width less borders; the text area's wrapping must agree.
        app.area = ((size.width as usize).saturating_sub(2), (size.height as usize).saturating_sub(8));
        if app.title() != title {
            title = app.title();
            execute!(std::io::stdout(), SetTitle(title))?;
        }
        let now = Instant::now();
        terminal.draw(|f| view::draw(f, &app, now))?;
        if app.quit {
            app.wait_for_job();
            break;
        }
        if event::poll(Duration::from_millis(100))? {
            let now = Instant::now();
            match event::read()? {
                Event::Key(k) if k.kind != KeyEventKind::Release => app.on_key(k, now),
                Event::Paste(text) => app.on_paste(&text, now),
                _ => {}
            }
        }
        app.tick(Instant::now());
    }
    // Leave nothing on the screen buffers: draw an empty frame before leaving.
    app.session = None;
    terminal.clear()?;
    Ok(())
}
