//! The lock screen and its camouflage.

messages! {
    Lock;
    // ---- Lock screen and camouflage
    CamouflageTitle => ["메모", "笔记", "Notes"],
    UnlockTitle => ["잠김", "已锁定", "Locked"],
    UnlockPrompt => ["비밀번호를 입력하세요", "请输入密码", "Enter your passphrase"],
    Opening => ["여는 중…", "正在打开…", "Opening…"],
    Locked => ["잠갔습니다.", "已锁定。", "Locked."],
    NoNotes => ["메모가 없습니다.", "没有笔记。", "No notes."],
}
