//! The settings screen.

messages! {
    Settings;
    // ---- Settings
    SetLanguage => ["언어", "语言", "Language"],
    SetIdleLock => ["자동 잠금", "自动锁定", "Lock when idle"],
    SetCamouflage => ["위장 모드", "伪装模式", "Camouflage"],
    SetHide => ["숨은 칸 새로 만들기…", "新建隐藏分区…", "Make a hidden compartment…"],
    Minutes => ["{0}분 뒤", "{0} 分钟后", "after {0} min"],
    On => ["켜짐", "开", "on"],
    Off => ["꺼짐", "关", "off"],
    SetLanguageExplain => [
        "화면과 안내의 언어입니다. 이 칸 안에 저장됩니다.",
        "界面和提示的语言。保存在此分区内。",
        "Language of every screen and message. Stored inside this compartment.",
    ],
    SetIdleLockExplain => [
        "이 시간 동안 키를 누르지 않으면 잠그고, 열린 내용을 메모리에서 지웁니다.",
        "在此时间内没有按键则锁定，并从内存中清除已打开的内容。",
        "After this long without a key press the app locks and clears what was open from memory.",
    ],
    SetCamouflageExplain => [
        "켜면 창 제목과 첫 화면이 보통 메모 앱처럼 보입니다.",
        "开启后，窗口标题和首屏看起来像普通的笔记应用。",
        "When on, the window title and first screen look like an ordinary notes app.",
    ],
    SetHideExplain => [
        "다른 비밀번호로 여는 숨은 칸을 지금 칸 위에 만듭니다.",
        "在当前分区之上新建一个用另一个密码打开的隐藏分区。",
        "Makes a hidden compartment, opened by another passphrase, above this one.",
    ],
    FieldNewPassphrase => ["새 비밀번호", "新密码", "New passphrase"],
    FieldRepeatPassphrase => ["한 번 더", "再输入一次", "Type it again"],
    // The hide form's note, for a format 1 and a format 2 container.
    HideExplainV1 => [
        "가장 위의 칸을 연 상태에서만 만드세요: 이 보관함(형식 1)에서는 이 비밀번호가 모르는 더 위의 칸이 있으면 바로 덮어씁니다. 만드는 데 몇 초 걸립니다.",
        "请只在打开了最上层分区时新建：在此容器（格式 1）中，若有此密码不知道的更上层分区，它会立即被覆盖。需要几秒钟。",
        "Only do this with your highest compartment open: in this container (format 1) a higher one this passphrase does not know is overwritten at once. Takes a few seconds.",
    ],
    HideExplainV2 => [
        "가장 위의 칸을 연 상태에서만 만드세요. 이 보관함(형식 2)에서는 이 비밀번호가 모르는 더 위의 칸이 있어도 지금 덮어쓰지 않고 그 칸은 자기 비밀번호로 계속 열리지만, 보관함의 빈 공간이 다 차면 이후 세션이 그 칸의 블록을 덮어씁니다. 만드는 데 몇 초 걸립니다.",
        "请只在打开了最上层分区时新建。在此容器（格式 2）中，若有此密码不知道的更上层分区，现在不会覆盖它，它仍可用自己的密码打开；但容器的空闲空间用完后，之后的会话会覆盖它的数据块。需要几秒钟。",
        "Only do this with your highest compartment open. In this container (format 2) a higher one this passphrase does not know is not overwritten now and still opens with its own passphrase, but once the container's free space is used up, later sessions overwrite its blocks. Takes a few seconds.",
    ],
    Hiding => ["숨은 칸을 만드는 중", "正在新建隐藏分区", "Making the hidden compartment"],
    HiddenMade => [
        "숨은 칸을 만들었습니다. 새 비밀번호로 열면 보입니다.",
        "已新建隐藏分区。用新密码打开即可看到。",
        "Made the hidden compartment. Open with the new passphrase to see it.",
    ],
    SettingsSaved => ["설정을 저장했습니다.", "设置已保存。", "Settings saved."],
    ErrPassphrasesDiffer => ["두 비밀번호가 다릅니다.", "两次输入的密码不同。", "The two passphrases differ."],
}
