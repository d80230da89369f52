//! Outgoing messages: what to send, how, and what it is.

messages! {
    Outgoing;
    // ---- Outgoing messages
    OutgoingSummary => [
        "{0}건 · 정확히 {1}자 ({2}바이트 봉인). 채팅 앱에 그대로 붙여 넣거나 QR로 보여 주세요.",
        "{0} 项 · 恰好 {1} 个字符（封存 {2} 字节）。原样粘贴到聊天应用，或出示二维码。",
        "{0} {0:item|items} · exactly {1} {1:character|characters} on the air ({2} bytes sealed). Paste it into a chat app as it is, or show the QR code.",
    ],
    SetCover => ["위장 글 (현장)", "伪装文字（现场）", "Cover text (field)"],
    SetCoverExplain => [
        "본부로 보내는 메시지가 처음 보이는 형태. 메시지 화면에서 c 키로 메시지마다 바꿀 수 있습니다.",
        "发给总部的消息默认显示的形式。在消息画面按 c 可逐条更改。",
        "The form messages to the hub start in. c on the message screen changes it per message.",
    ],
    CoverSet => ["본부로 보내는 메시지의 형태: {0}.", "发给总部的消息形式：{0}。", "Messages to the hub now start as: {0}."],
    CoverSummary => [
        "{0}건 · {1}자, 평범한 채팅처럼 보이는 글. 채팅 앱에 그대로 붙여 넣으세요 (QR 코드는 일반 암호 글자로 보여 줍니다).",
        "{0} 项 · {1} 个字符，看起来像普通聊天。原样粘贴到聊天应用（二维码仍显示普通密文）。",
        "{0} {0:item|items} · {1} {1:character|characters} that read as ordinary chat. Paste it into a chat app as it is (the QR code shows plain armor).",
    ],
    FormLine => ["보내는 형태: {0}", "发送形式：{0}", "Form: {0}"],
    FormArmor => ["일반 암호 글자", "普通密文", "plain armor"],
    FormKoMarket => ["한국어 시장 이야기", "韩语市场闲聊", "Korean market talk"],
    FormZhMarket => ["중국어 시장 이야기", "中文市场闲聊", "Chinese market talk"],
    HintCoverForm => ["형태 바꾸기", "换形式", "change form"],
    CoverUnavailable => [
        "이 짝에는 채널 키가 없어 위장 글을 쓸 수 없습니다. 다시 짝을 맺으세요.",
        "此配对没有通道密钥，无法写伪装文字。请重新配对。",
        "This pairing has no channel key, so no cover text can be written. Pair again.",
    ],
    ErrCoverTooLong => [
        "메시지가 위장 글로 쓰기에 너무 깁니다. 일반 암호 글자로 보내세요.",
        "消息太长，无法写成伪装文字。请用普通密文发送。",
        "The message is too long for cover text. Send it as plain armor.",
    ],
    ErrCoverIncomplete => [
        "메시지가 다 오지 않았습니다: 글의 일부가 빠졌습니다. 전부 붙여 넣으세요. 아무것도 바뀌지 않았습니다.",
        "消息不完整：缺了一部分文字。请全部粘贴。没有任何改动。",
        "The message is incomplete: part of the text is missing; paste all of it. Nothing was changed.",
    ],
    ErrCoverRefused => [
        "이 글은 이 짝의 키로 읽을 수 없습니다: 다른 짝에게 보낸 글이거나 바뀌었습니다. 아무것도 바뀌지 않았습니다.",
        "此文字无法用本配对的密钥读取：它是发给其他配对的，或已被改动。没有任何改动。",
        "This text cannot be read with this pairing's key: it is for another pairing, or it was changed. Nothing was changed.",
    ],
    OutgoingRemaining => ["{0}건은 다음 메시지로 보내야 합니다.", "还有 {0} 项需下一条消息发送。", "{0} more wait for the next message."],
    QrTooBig => [
        "QR 코드가 화면보다 큽니다 ({0}×{1}칸): 창을 키우거나 글자로 보내세요.",
        "二维码比屏幕大（{0}×{1} 格）：请放大窗口或用文字发送。",
        "The QR code is larger than the screen ({0}×{1} cells): enlarge the window or send the text.",
    ],
    SaveMessageNote => [
        "봉인된 메시지라 본인도 열 수 없습니다. 보낸 뒤 파일을 지우세요.",
        "这是封存的消息，你自己也打不开。发送后请删除文件。",
        "The message is sealed; even you cannot open it. Delete the file once sent.",
    ],
}
