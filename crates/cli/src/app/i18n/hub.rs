//! The hub screens and the status of an order.

messages! {
    Hub;
    // ---- Hub screens
    HubOrdersTitle => ["주문", "订单", "Orders"],
    HubFilters => ["전달자: {0} · 상태: {1}", "经手人：{0} · 状态：{1}", "Broker: {0} · status: {1}"],
    FilterAll => ["전체", "全部", "all"],
    FilterOpen => ["진행 중", "进行中", "open"],
    OrderNote => [
        "기대하는 답은 솔트를 넣은 느린 해시로만 남습니다. 답은 대소문자, 띄어쓰기, 문장부호, 전각/반각을 가리지 않고 비교합니다.",
        "预期答案只以加盐的慢哈希保存。比较时不区分大小写、空格、标点和全角/半角。",
        "Only a salted, slow hash of the expected answer is kept. Answers are compared ignoring case, spaces, punctuation and full/half width.",
    ],
    OrderMade => ["주문 {0}을(를) 만들었습니다. m 키로 보내세요.", "已创建订单 {0}。按 m 发送。", "Order {0} made. Press m to send it."],
    OrdersReady => ["주문 {0}건, {1}자.", "{0} 个订单，{1} 个字符。", "{0} {0:order|orders}, {1} {1:character|characters}."],
    OrdersTitle => ["전달자에게 보낼 주문", "发给经手人的订单", "Orders for the broker"],
    ImportReportsTitle => ["전달자에게서 온 보고", "来自经手人的报告", "Reports from a broker"],
    ReportsImported => ["보고 {0}건을 확인했습니다.", "已核对 {0} 份报告。", "{0} {0:report|reports} checked."],
    ResultsTitle => ["{0}의 보고 확인 결과", "{0} 的报告核对结果", "Results for {0}'s reports"],
    OutcomeDelivered => ["답이 맞음: 전달됨", "回答正确：已送达", "answer matches: delivered"],
    OutcomeAlreadyRecorded => ["이미 기록됨", "已记录", "already recorded"],
    OutcomeUnknownOrder => ["모르는 주문", "未知订单", "unknown order"],
    AckReady => [
        "전달자가 기록을 지우도록 확인 메시지({0}자)를 보내세요: Enter.",
        "请发送确认消息（{0} 个字符），让经手人删除记录：按 Enter。",
        "Send the acknowledgement ({0} characters) so the broker's lethe erases its records: Enter.",
    ],
    AckTitle => ["전달자에게 보낼 확인", "发给经手人的确认", "Acknowledgement for the broker"],
    AckWaitsForMedia => [
        "사진을 아직 가져오지 않은 주문이 있어 확인을 보류합니다: 사진을 가져오면 그 주문의 확인이 나옵니다.",
        "有订单的照片尚未导入，暂不确认：导入照片后会生成该订单的确认。",
        "No acknowledgement yet: the photos of these orders are not imported. Importing a photo makes its order's acknowledgement.",
    ],
    LedgerExplain => [
        "잔액 = 선지급 − 전달 − 수수료: 전달자가 아직 가진 본부의 돈 (음수면 본부가 줄 돈).",
        "余额 = 预付 − 已送达 − 手续费：经手人手上仍属中心的现金（负数表示中心欠经手人）。",
        "Balance = advanced − delivered − fees: the hub's cash the broker still holds (negative: the hub owes the broker).",
    ],
    AdvanceRecorded => ["{1}에게 선지급 {0}을(를) 기록했습니다.", "已记录向 {1} 预付 {0}。", "Recorded an advance of {0} to {1}."],
    BrokersTitle => ["짝을 맺은 전달자:", "已配对的经手人：", "Paired brokers:"],
    BrokerLine => ["{0} · 안전 코드 {1} · {2}", "{0} · 安全码 {1} · {2}", "{0} · safety code {1} · {2}"],
    NoBrokersHelp => [
        "전달자가 없습니다. p 키, 그다음 a 키로 전달자의 공개 키를 넣으세요.",
        "没有经手人。按 p，再按 a 输入经手人的公钥。",
        "No brokers yet. Press p, then a, and enter a broker's public key.",
    ],
    BrokerPaired => [
        "{0}와(과) 짝을 맺었습니다. 안전 코드 {1}을(를) 목소리로 맞춰 보세요.",
        "已与 {0} 配对。请通过语音核对安全码 {1}。",
        "Paired with {0}. Compare the safety code {1} by voice.",
    ],
    MediaAnnounced => ["(사진 있음, 아직 안 가져옴)", "（有照片，尚未导入）", "(photo announced, not imported)"],
    MediaHere => ["(사진 있음: x 키로 내보내기)", "（有照片：按 x 导出）", "(photo here: x exports it)"],
    MediaImported => ["주문 {0}의 사진을 가져왔습니다 ({1}).", "已导入订单 {0} 的照片（{1}）。", "Imported the photo of order {0} ({1})."],

    // ---- Order status (hub)
    StatusNew => ["새 주문", "新订单", "new"],
    StatusSent => ["보냄", "已发送", "sent"],
    StatusDelivered => ["전달됨", "已送达", "delivered"],
    StatusDisputed => ["이의 있음", "有争议", "disputed"],
    StatusWrongAnswer => ["이의: 답이 틀림", "争议：回答错误", "disputed: wrong answer"],
    StatusWrongCurrency => ["이의: 통화가 다름", "争议：币种不符", "disputed: wrong currency"],
    StatusPartial => ["일부 전달됨", "部分送达", "partly delivered"],
    StatusAboveOrder => ["이의: 주문보다 많은 금액", "争议：金额超过订单", "disputed: amount above the order"],
}
