//! Every screen draws at phone and desktop sizes.

use super::*;

#[test]
fn every_screen_draws_at_phone_and_desktop_sizes() {
    use crate::app::screens::settings::SettingRow;
    let t0 = Instant::now();
    let mut app = App::new(container(), t0);
    let sizes = [(20u16, 8u16), (40, 16), (56, 30), (120, 40)];
    let draw_all = |app: &App| {
        for (w, h) in sizes {
            let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
            t.draw(|f| view::draw(f, app, t0 + Duration::from_secs(1))).unwrap();
        }
    };
    draw_all(&app);
    unlock(&mut app, "hidden", t0);
    go_to_tab(&mut app, Tab::Settings, t0);
    settings_row(&mut app, SettingRow::SetUpHub, t0);
    settings_row(&mut app, SettingRow::SetUpField, t0);
    // Every view reachable with one or two keys from each tab.
    let keys_per_tab: &[(Tab, &[&[char]])] = &[
        (Tab::Notes, &[&['n'], &['f'], &['e'], &['d']]),
        (Tab::Field, &[&['i'], &['m'], &['p'], &['p', 'q'], &['p', 'h']]),
        (Tab::Hub, &[&['o'], &['m'], &['i'], &['f'], &['l'], &['l', 'v'], &['p'], &['p', 'q'], &['p', 'a']]),
        (Tab::Settings, &[&[]]),
    ];
    for (tab, sequences) in keys_per_tab {
        go_to_tab(&mut app, *tab, t0);
        draw_all(&app);
        for seq in *sequences {
            for c in *seq {
                app.on_key(key(KeyCode::Char(*c)), t0);
            }
            draw_all(&app);
            for _ in 0..3 {
                app.on_key(key(KeyCode::Esc), t0);
            }
        }
    }
    app.panic_now();
    draw_all(&app);
}
