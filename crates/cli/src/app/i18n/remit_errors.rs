//! Errors of the remittance work (orders, reports, pairing, keys).

messages! {
    RemitErrors;
    // ---- Remittance errors
    ErrNoRole => ["이 칸에는 그 역할의 키가 없습니다.", "此分区没有该角色的密钥。", "This compartment has no key for that role."],
    ErrRoleExists => ["이 칸에는 이미 그 역할의 키가 있습니다.", "此分区已有该角色的密钥。", "This compartment already has a key for that role."],
    ErrNotPaired => ["아직 본부와 짝을 맺지 않았습니다 (p 키).", "尚未与中心配对（按 p）。", "Not paired with a hub yet (press p)."],
    ErrAlreadyPaired => ["이미 본부와 짝을 맺었습니다.", "已与中心配对。", "Already paired with a hub."],
    ErrBadKey => [
        "공개 키가 아닙니다. 잘못 입력했는지 확인하세요.",
        "这不是公钥。请检查是否输错。",
        "That is not a public key. Check it for typing mistakes.",
    ],
    ErrOwnKey => ["그것은 내 키입니다. 상대의 키를 넣으세요.", "这是你自己的公钥，请输入对方的。", "That is your own key; enter the other side's."],
    ErrBrokersPairingText => [
        "이것은 전달자의 짝 맺기 글입니다(요청이나 짝 맺기 키). 본부의 공개 키를 넣으세요. 아무것도 바꾸지 않았습니다.",
        "这是经手人的配对文本（请求或配对密钥），不是中心的。请输入中心的公钥。没有做任何更改。",
        "This is a broker's pairing text (a request or a pairing key), not the hub's. Enter the hub's public key. Nothing was changed.",
    ],
    ErrNoPairRequest => [
        "본부가 보낸 짝 맺기 답이지만, 이 전화기에는 기다리는 요청이 없습니다. 먼저 r 키로 요청을 만들어 본부에 보내세요. 아무것도 바뀌지 않았습니다.",
        "这是中心的配对回复，但这部手机没有待处理的请求。请先按 r 生成请求并发给中心。什么都没有改变。",
        "This is the hub's answer to a pairing request, but this phone has no request waiting. Press r to make one and send it to the hub first. Nothing was changed.",
    ],
    ErrUnknownBroker => ["'{0}' 전달자가 없습니다.", "没有经手人“{0}”。", "No broker named '{0}'."],
    ErrBrokerExists => ["'{0}' 전달자가 이미 있습니다.", "经手人“{0}”已存在。", "A broker named '{0}' exists already."],
    ErrBrokerKeyExists => ["이 키는 이미 '{0}'(으)로 등록되어 있습니다.", "此公钥已登记为“{0}”。", "This key is already paired as '{0}'."],
    ErrBrokerName => ["이름은 1~32자, 앞뒤 공백 없이 쓰세요.", "名称须为 1 到 32 个字符，首尾不能有空格。", "A name is 1 to 32 characters, without spaces at the ends."],
    ErrAmount => [
        "금액을 읽을 수 없습니다 (예: 1500, 1,500.50, 150만, 1万5000).",
        "无法识别金额（例：1500、1,500.50、150万、1万5000）。",
        "Cannot read the amount (examples: 1500, 1,500.50, 150만, 1万5000).",
    ],
    ErrCurrency => ["통화를 모릅니다 (KRW, CNY, USD).", "未知币种（KRW、CNY、USD）。", "Unknown currency (KRW, CNY, USD)."],
    ErrBadDate => ["날짜를 읽을 수 없습니다 (YYYY-MM-DD).", "无法识别日期（YYYY-MM-DD）。", "Cannot read the date (YYYY-MM-DD)."],
    ErrDeadlinePassed => ["기한이 이미 지났습니다.", "期限已过。", "The deadline is already past."],
    ErrFormMissing => ["'{0}' 칸을 채우세요.", "请填写“{0}”。", "Fill in '{0}'."],
    ErrFormTooLong => ["'{0}' 칸이 너무 길거나 쓸 수 없는 문자가 있습니다.", "“{0}”过长或含有不可用的字符。", "'{0}' is too long or has a character that cannot be used."],
    ErrBadMessage => [
        "이 메시지는 쓸 수 없습니다: 잘못 입력했거나, 잘렸거나, 바뀌었거나, 이 보관함에 온 것이 아닙니다. 아무것도 바뀌지 않았습니다.",
        "此消息无法使用：输错、被截断、被改动，或不是发给此保险箱的。未做任何更改。",
        "This message cannot be used: mistyped, cut off, altered, or not for this container. Nothing was changed.",
    ],
    ErrReplayed => ["이미 받은 메시지입니다. 아무것도 바뀌지 않았습니다.", "这条消息已收到过。未做任何更改。", "This message was received before. Nothing was changed."],
    ErrSealedToErasedKey => [
        "이 전화기가 이미 지운 열쇠로 잠긴 메시지입니다(또는 이 전화기에 온 것이 아닙니다). 본부에 다시 보내 달라고 하세요. 아무것도 바뀌지 않았습니다.",
        "这条消息是用本手机已删除的密钥加密的（或不是发给本手机的）。请中心重新发送。未做任何更改。",
        "This message was sealed to a key this phone has already erased (or it is not for this phone). Ask the hub to send it again. Nothing was changed.",
    ],
    ErrTooOld => [
        "{0}일 된 메시지라 믿을 수 없습니다. 새로 보내 달라고 하세요.",
        "消息已有 {0} 天，无法信任。请对方重新发送。",
        "This message is {0} {0:day|days} old, too old to trust. Ask for a new one.",
    ],
    ErrWrongMessageKind => [
        "이 화면에서 받을 종류의 메시지가 아닙니다. 아무것도 바뀌지 않았습니다.",
        "此页面不接收这种消息。未做任何更改。",
        "This kind of message does not belong here. Nothing was changed.",
    ],
    ErrNothingToSend => ["보낼 것이 없습니다.", "没有要发送的内容。", "Nothing is waiting to be sent."],
    ErrUnknownOrder => ["주문 {0}이(가) 없습니다.", "没有订单 {0}。", "There is no order {0}."],
    ErrAlreadyDelivered => [
        "주문 {0}은(는) 이미 전달했습니다. 보고가 확인을 기다립니다.",
        "订单 {0} 已送达，报告正在等待确认。",
        "Order {0} was already delivered; its report waits for the hub's acknowledgement.",
    ],
    ErrBadAnswer => [
        "답이 비었거나 너무 깁니다 (띄어쓰기와 문장부호는 세지 않습니다).",
        "回答为空或过长（空格和标点不计）。",
        "The answer is empty or too long (spaces and punctuation do not count).",
    ],
    ErrZeroAmount => ["금액이 0일 수는 없습니다.", "金额不能为零。", "The amount cannot be zero."],
    ErrAmountAboveOrder => [
        "주문 {0}의 금액은 {1}입니다. 그보다 많이 기록할 수 없습니다. 실제로 건넨 금액을 적으세요 (적으면 일부 전달로 기록됩니다).",
        "订单 {0} 的金额是 {1}，不能记录更多。请填写实际交付的金额（较少时记为部分送达）。",
        "Order {0} is for {1}; more cannot be recorded. Give the amount actually handed over (less is recorded as a partial delivery).",
    ],
    ErrMedia => [
        "이 사진이나 동영상의 메타데이터를 지울 수 없습니다 (손상된 파일).",
        "无法删除此照片或视频的元数据（文件已损坏）。",
        "The metadata of this photo or video cannot be removed (the file is damaged).",
    ],
    ErrMediaFile => [
        "봉인된 사진 파일을 열 수 없습니다: 잘렸거나, 바뀌었거나, 짝을 맺은 전달자의 것이 아닙니다.",
        "无法打开封存的照片文件：被截断、被改动，或不是已配对经手人的。",
        "The sealed media file cannot be opened: cut off, altered, or not from a paired broker.",
    ],
    ErrMediaWithoutReport => [
        "이 사진 파일에 맞는 보고가 없습니다. 보고를 먼저 가져오세요.",
        "没有与此照片文件对应的报告。请先导入报告。",
        "No imported report mentions this media file. Import the broker's reports first.",
    ],
    ErrMediaAlreadyImported => ["주문 {0}의 사진은 이미 가져왔습니다.", "订单 {0} 的照片已导入。", "The photo of order {0} was imported already."],
    ErrNoMedia => ["주문 {0}에는 가져온 사진이 없습니다.", "订单 {0} 没有已导入的照片。", "Order {0} has no imported photo or video."],
    ErrDamagedRecord => [
        "저장된 기록이 손상되었거나 더 새 버전이 쓴 것입니다.",
        "保存的记录已损坏，或由更新的版本写入。",
        "A stored record is damaged or was written by a newer version of lethe.",
    ],
    ErrBadRetention => ["보관 기간은 1~365일입니다.", "保存期须为 1 到 365 天。", "The retention window must be 1 to 365 days."],
    ErrNoBrokers => ["먼저 전달자를 추가하세요 (p 키).", "请先添加经手人（按 p）。", "Add a broker first (press p)."],
    ErrNoMessage => ["메시지를 붙여 넣거나 파일 경로를 입력하세요.", "请粘贴消息或输入文件路径。", "Paste a message or give a file's path."],
    ErrQr => ["이 메시지는 QR 코드 하나에 들어가지 않습니다.", "此消息放不进一个二维码。", "This message does not fit in one QR code."],
}
