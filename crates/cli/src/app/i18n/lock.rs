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
    // ---- Making a container in the app (first start, and a new notebook after a panic)
    CreateTitle => ["새 컨테이너 만들기", "创建新容器", "Make a new container"],
    CreateIntro => [
        "{0}에 아직 컨테이너가 없습니다. 여기서 만들 수 있습니다: 크기, 비밀번호 두 번, 언어(F2).",
        "{0} 还没有容器。可以在这里创建：大小、两次密码、语言（F2）。",
        "There is no container at {0} yet. Make one here: size, passphrase twice, language (F2).",
    ],
    CreateSize => ["크기 (예: 64M, 512M, 2G; 나중에 못 바꿈)", "大小（例：64M、512M、2G；以后不能改）", "Size (e.g. 64M, 512M, 2G; fixed for ever)"],
    CreatePassphrase => ["비밀번호", "密码", "Passphrase"],
    CreateAgain => ["비밀번호 다시", "再次输入密码", "Passphrase again"],
    CreateStrength => ["추정 강도: 약 {0}비트", "估计强度：约 {0} 位", "Estimated strength: about {0} bits"],
    CreateWeak => [
        "50비트 미만이라 추측될 수 있습니다. 서로 관계없는 단어 네다섯 개로 만드세요.",
        "低于 50 位，可能被猜出。请用四五个互不相关的词。",
        "Below 50 bits: it could be guessed. Use four or five unrelated words.",
    ],
    CreateMismatch => ["두 비밀번호가 다릅니다. 다시 입력하세요.", "两次输入的密码不同。请重新输入。", "The two passphrases differ. Type it again."],
    CreateNoPassphrase => ["비밀번호를 입력하세요.", "请输入密码。", "Type a passphrase."],
    CreateBadSize => [
        "크기 '{0}'을(를) 쓸 수 없습니다. 예: 64M, 512M, 2G (1M 이상).",
        "无法使用大小“{0}”。例：64M、512M、2G（至少 1M）。",
        "Cannot use the size '{0}'. Examples: 64M, 512M, 2G (at least 1M).",
    ],
    Creating => ["만드는 중…", "正在创建…", "Making it…"],
    HintCreate => ["만들기", "创建", "make it"],
    NewNotebookTitle => ["새 메모장", "新建笔记本", "New notebook"],
    NewNotebookIntro => ["새 메모장의 비밀번호를 두 번 입력하세요.", "请为新笔记本输入两次密码。", "Type the new notebook's passphrase twice."],
    HintNewNotebook => ["새 메모장", "新建笔记本", "new notebook"],
    FreeSpace => ["남은 공간 {0} / {1}", "剩余空间 {0} / {1}", "{0} free of {1}"],
    ContainerSize => ["크기 {0}", "大小 {0}", "Size {0}"],
}
