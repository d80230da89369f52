//! `lethe demo` and the command line (`lethe hide`).

messages! {
    CommandLine;
    // ---- lethe demo
    DemoIntro => [
        "lethe 데모: 배달 한 건을 처음부터 끝까지 보여 줍니다. 보관함 두 개는 메모리 안에만 있고 디스크에는 아무것도 쓰지 않습니다.",
        "lethe 演示：从头到尾走完一次送达。两个临时保险箱只存在于内存中，不向磁盘写入任何内容。",
        "lethe demo: one delivery from start to end, on two throwaway containers held in memory. Nothing is written to disk.",
    ],
    DemoKdf => [
        "(Argon2id는 데모용 설정 16 MiB, 2회로 돕니다. 실제 보관함은 256 MiB, 3회로 한 번 여는 데 약 1초 걸립니다.)",
        "（Argon2id 使用演示参数：16 MiB、2 轮；真实保险箱使用 256 MiB、3 轮，每次打开约 1 秒。）",
        "(Argon2id runs with demo parameters, 16 MiB and 2 passes; a real container uses 256 MiB and 3 passes, about a second per unlock.)",
    ],
    DemoHubInit => [
        "본부(밖에 있는 조정자)가 보관함(비밀번호 \"{0}\")과 키 쌍을 만듭니다.",
        "中心（在外面的协调人）创建保险箱（密码“{0}”）和密钥对。",
        "The hub (the coordinator outside) makes its container (passphrase \"{0}\") and its key pair.",
    ],
    DemoPublicKey => ["공개 키: {0}", "公钥：{0}", "public key: {0}"],
    DemoNoteShoppingName => ["장보기", "购物清单", "Shopping"],
    DemoNoteShoppingText => ["쌀 2kg, 두부, 파, 계란 10개", "大米 2 公斤、豆腐、葱、鸡蛋 10 个", "rice 2 kg, tofu, spring onions, 10 eggs"],
    DemoNoteRecipeName => ["김치찌개", "泡菜汤", "Kimchi stew"],
    DemoNoteRecipeText => ["김치를 먼저 볶고 물을 부은 뒤 두부를 넣는다.", "先炒泡菜，加水，再放豆腐。", "Fry the kimchi first, add water, then the tofu."],
    DemoFieldInit => [
        "현장 전달자가 보관함을 만듭니다: 보통 메모가 든 위장 칸(비밀번호 \"{0}\")과, 그 위에 전달자 키를 담은 숨은 칸(비밀번호 \"{1}\").",
        "现场经手人创建保险箱：一个存放普通笔记的伪装分区（密码“{0}”），以及其上存放经手人密钥的隐藏分区（密码“{1}”）。",
        "The field broker makes her container: a decoy compartment with ordinary notes (passphrase \"{0}\"), and above it a hidden compartment (passphrase \"{1}\") holding her broker key.",
    ],
    DemoPaired => [
        "짝 맺기: 두 사람이 공개 키를 글자로 주고받습니다. 본부의 안전 코드 {0}, 현장의 안전 코드 {1}: 목소리로 맞춰 봅니다.",
        "配对：双方以文字交换公钥。中心的安全码 {0}，现场的安全码 {1}：通过语音核对。",
        "Pairing: they exchange public keys as text. Safety code at the hub {0}, at the field {1}: they compare it by voice.",
    ],
    DemoOrders => [
        "본부가 전달자 \"{1}\"에게 주문 {0}건을 만듭니다. 금액은 쓰던 대로(300만, 1万5000) 입력하고, 기대하는 답은 솔트를 넣은 Argon2id 해시로만 남깁니다.",
        "中心为经手人“{1}”创建 {0} 个订单。金额按习惯输入（300만、1万5000）；预期答案只以加盐的 Argon2id 哈希保存。",
        "The hub makes {0} {0:order|orders} for broker \"{1}\". Amounts are typed in local forms (300만, 1万5000); the expected answer is kept only as a salted Argon2id hash.",
    ],
    DemoOrdersSealed => [
        "전달자의 키로 봉인: 주문 {0}건이 메시지 하나, 글자 {1}자({2}바이트)로, 어떤 채팅 앱이나 QR 코드로도 보낼 수 있습니다:",
        "用经手人的公钥封存：{0} 个订单合为一条消息，{1} 个字符（{2} 字节），可用任何聊天应用或二维码发送：",
        "Sealed to the broker's key: {0} {0:order|orders} in one message of {1} characters ({2} bytes), ready for any chat app or a QR code:",
    ],
    DemoFieldReceived => [
        "전달자가 메시지를 lethe에 붙여 넣습니다: 처리할 주문 {0}건.",
        "经手人把消息粘贴到 lethe：{0} 个待办订单。",
        "The broker pastes the message into her lethe: {0} pending {0:order|orders}.",
    ],
    DemoReplayRefused => [
        "같은 메시지를 다시 붙여 넣으면 거부되고 아무것도 바뀌지 않습니다.",
        "再次粘贴同一条消息会被拒绝，不做任何更改。",
        "Pasting the same message again is refused and changes nothing.",
    ],
    DemoDelivered => [
        "전달: 주문 {0}의 {1}을(를) 건네고, 받는 사람의 답 \"{2}\"를 입력합니다. 보고는 그 자리에서 본부의 키로 봉인됩니다.",
        "送达：为订单 {0} 交付 {1}，并输入收款人的回答“{2}”。报告当场用中心的公钥封存。",
        "Delivery: she hands over {1} for order {0} and types the recipient's answer \"{2}\". The report is sealed to the hub at once.",
    ],
    DemoDeliveredWrong => [
        "두 번째 전달, 주문 {0}: {1}을(를) 건넸지만 입력한 답은 \"{2}\"입니다.",
        "第二次送达，订单 {0}：交付了 {1}，但输入的回答是“{2}”。",
        "A second delivery, order {0}: {1} handed over, but the answer typed is \"{2}\".",
    ],
    DemoOutboxEntry => ["보낼 것: 주문 {0}의 보고, {1}자", "待发送：订单 {0} 的报告，{1} 个字符", "waiting to be sent: report for {0}, {1} characters"],
    DemoCannotOpen => [
        "이제 그녀의 보관함에는 이 보고들이 본부에게 봉인된 암호문으로만 있어, 그녀 자신도 열 수 없습니다.",
        "现在她的保险箱里只有封存给中心的密文报告，她自己也无法打开。",
        "Her container now holds these reports only as ciphertext sealed to the hub: she cannot open them herself.",
    ],
    DemoReportsSealed => [
        "보고 {0}건이 {1}자짜리 메시지 하나로 갑니다:",
        "{0} 份报告合为一条 {1} 个字符的消息发送：",
        "The {0} {0:report travels|reports travel} as one message of {1} characters:",
    ],
    DemoAirtime => [
        "(같은 확인을 60초 음성 통화로 하면 약 {0}바이트, 사진 한 장이면 약 {1}바이트입니다.)",
        "（同样的确认，用 60 秒语音通话约 {0} 字节，用一张照片约 {1} 字节。）",
        "(The same confirmation costs about {0} bytes as a 60-second voice call, or {1} bytes as one photo.)",
    ],
    DemoHubVerified => [
        "본부가 \"{0}\"의 보고를 가져와 각 답을 해시와 상수 시간으로 비교합니다:",
        "中心导入“{0}”的报告，以恒定时间将每个回答与哈希比较：",
        "The hub imports the reports from \"{0}\" and checks each answer against its hash in constant time:",
    ],
    DemoVerdictDelivered => ["답이 맞음: 전달됨", "回答正确：已送达", "answer matches: delivered"],
    DemoVerdictDisputed => ["답이 틀림: 이의 있음", "回答不符：有争议", "answer does not match: disputed"],
    DemoVerdictOther => ["이미 기록됨 또는 모르는 주문", "已记录或未知订单", "already recorded, or unknown order"],
    DemoLedger => [
        "선지급 5,000,000 KRW를 기록한 뒤의 정산 장부 (전달자, 통화, 선지급, 전달, 수수료, 이의, 미전달, 잔액):",
        "记录预付 5,000,000 KRW 后的结算账本（经手人、币种、预付、已送达、应付手续费、争议、未送达、余额）：",
        "Ledger after a cash advance of 5,000,000 KRW (broker, currency, advanced, delivered, fees owed, disputed, outstanding, balance):",
    ],
    DemoStatuses => ["본부의 주문: {0}", "中心的订单：{0}", "Orders at the hub: {0}"],
    DemoAck => [
        "본부의 확인 메시지({0}자)가 전달자에게 돌아갑니다.",
        "中心的确认消息（{0} 个字符）发回给经手人。",
        "The hub's acknowledgement ({0} characters) goes back to the broker.",
    ],
    DemoAckErased => [
        "그녀의 lethe가 확인된 주문 {0}건과 그 보고를 암호학적으로 지웁니다.",
        "她的 lethe 以加密方式删除 {0} 个已确认的订单及其报告。",
        "Her lethe crypto-erases the {0} acknowledged {0:order and its report|orders and their reports}.",
    ],
    DemoAckDisputed => [
        "본부가 이의를 단 주문 {0}({1})은 본부가 해결할 때까지 그 이유와 함께 그녀의 휴대폰에 남습니다.",
        "中心有异议的订单 {0}（{1}）连同理由留在她的手机上，直到中心解决为止。",
        "Order {0}, which the hub disputes ({1}), stays on her phone with the hub's reason until the hub resolves it.",
    ],
    DemoFieldLeft => ["숨은 칸에 남은 것: {0}", "隐藏分区中剩下：{0}", "Left in her hidden compartment: {0}"],
    DemoRawClean => [
        "검사관처럼 보관함의 날 바이트에서 별칭, 답, 장소를 찾아봅니다(UTF-8과 UTF-16): 아무것도 없습니다.",
        "像检查人员那样在保险箱的原始字节中搜索化名、回答和地点（UTF-8 与 UTF-16）：什么也没找到。",
        "Searching her container's raw bytes as an examiner would (UTF-8 and UTF-16) for the alias, the answer and the place: nothing found.",
    ],
    DemoRawFound => ["날 바이트에서 찾음: {0}", "在原始字节中找到：{0}", "Found in the raw bytes: {0}"],
    DemoDecoy => [
        "휴대폰을 열라고 강요받자 위장 비밀번호 \"{0}\"를 줍니다: 보통 메모({1})만 보입니다.",
        "被迫打开手机时，她给出伪装密码“{0}”：只显示普通笔记（{1}）。",
        "Forced to open her phone, she gives the decoy passphrase \"{0}\": it shows only ordinary notes ({1}).",
    ],
    DemoDecoyNoRole => [
        "전달자 키도, 주문도, 숨은 칸이 있다는 흔적도 없습니다.",
        "没有经手人密钥，没有订单，也没有任何迹象表明存在隐藏分区。",
        "No broker key, no orders, nothing that says a hidden compartment exists.",
    ],
    DemoPanic => [
        "비상 삭제: 키 영역을 무작위 바이트로 덮어씁니다({0} ms).",
        "紧急销毁：用随机字节覆盖密钥区（{0} 毫秒）。",
        "Panic: the key area is overwritten with random bytes ({0} ms).",
    ],
    DemoAfterPanic => ["\"{0}\"는 이제 아무것도 열지 못합니다.", "“{0}”现在什么也打不开。", "\"{0}\" now opens nothing."],
    DemoDone => [
        "끝({0}초). 모든 것이 메모리에만 있었고 이제 사라졌습니다. 다음: `lethe init my.vault`, 그다음 `lethe app my.vault`.",
        "完成（{0} 秒）。一切只在内存中，现已消失。下一步：`lethe init my.vault`，然后 `lethe app my.vault`。",
        "Done in {0} s. Everything lived in memory and is gone. Next: `lethe init my.vault`, then `lethe app my.vault`.",
    ],

    // ---- Command line: `lethe hide`
    // The warning before the passphrase is read (the container's format is unknown then).
    CliHideWarning => [
        "경고: 지금 연 칸 위에 숨은 칸이 이미 있는지 lethe는 알 수 없습니다(숨기는 것이 목적이니까요). 그런 칸이 있는데 이 비밀번호가 그 칸을 열지 못하면: 형식 1 보관함에서는 그 칸이 바로 덮어써지고 메모, 주문, 키, 짝 맺기가 모두 영영 사라집니다. 형식 2 보관함(지금 `lethe init`이 만드는 형식)에서는 그 칸이 그대로 남아 자기 비밀번호로 계속 열리지만, 보관함의 빈 공간이 다 차면 이후 세션이 그 칸의 블록을 가장 오래된 것부터 덮어씁니다. 가장 위의 칸을 열었을 때만 계속하세요.",
        "警告：lethe 无法知道在你打开的分区之上是否已有隐藏分区（隐藏本来就是目的）。如果有这样的分区而此密码打不开它：在格式 1 的容器中，它会立即被覆盖，其中的笔记、订单、密钥和配对将永远丢失；在格式 2 的容器中（现在 `lethe init` 创建的格式），它保持原样，仍可用自己的密码打开，但容器的空闲空间用完后，之后的会话会从最旧的开始覆盖它的数据块。只有在打开了最上层分区时才继续。",
        "Warning: lethe cannot tell whether a hidden compartment already exists above the one you open (hiding is the point). If one exists and your passphrase does not open it: in a format 1 container it is overwritten at once, and its notes, orders, keys and pairing are lost for good; in a format 2 container (what `lethe init` makes now) it stays and still opens with its own passphrase, but once the container's free space is used up, later sessions overwrite its blocks, oldest first. Only continue if you open your highest compartment.",
    ],
    // After opening a format 1 container: its header slots are fixed, so the new
    // compartment's header replaces the old one's.
    CliHideWarningV1 => [
        "경고: 지금 연 칸 위에 숨은 칸이 이미 있는지 lethe는 알 수 없습니다(숨기는 것이 목적이니까요). 이 보관함은 형식 1입니다: 그런 칸이 있는데 이 비밀번호가 그 칸을 열지 못하면, 그 칸은 바로 덮어써지고 메모, 주문, 키, 짝 맺기가 모두 영영 사라집니다. 가장 위의 칸을 열었을 때만 계속하세요.",
        "警告：lethe 无法知道在你打开的分区之上是否已有隐藏分区（隐藏本来就是目的）。此容器是格式 1：如果有这样的分区而此密码打不开它，它会立即被覆盖，其中的笔记、订单、密钥和配对将永远丢失。只有在打开了最上层分区时才继续。",
        "Warning: lethe cannot tell whether a hidden compartment already exists above the one you opened (hiding is the point). This container is format 1: if one exists and this passphrase does not open it, it is overwritten at once: its notes, orders, keys and pairing are lost for good. Only continue if you opened your highest compartment.",
    ],
    // After opening a format 2 container: the new compartment gets a link of its own; the old
    // one's blocks stay noise until level 0 reclaims them (FORMAT.md, version 2).
    CliHideWarningV2 => [
        "경고: 지금 연 칸 위에 숨은 칸이 이미 있는지 lethe는 알 수 없습니다(숨기는 것이 목적이니까요). 이 보관함은 형식 2입니다: 그런 칸이 있어도 숨기기가 지금 덮어쓰지는 않습니다. 그 칸은 그대로 남아 자기 비밀번호로 계속 열리고, 새 칸은 그와 따로 생깁니다. 하지만 이 비밀번호로는 그 칸이 빈 공간으로 보이므로, 보관함의 빈 공간이 다 차면 이후 세션이 그 칸의 블록을 가장 오래된 것부터 덮어쓰고, 그러면 그 칸의 메모, 주문, 키, 짝 맺기는 영영 사라집니다. 가장 위의 칸을 열었을 때만 계속하세요.",
        "警告：lethe 无法知道在你打开的分区之上是否已有隐藏分区（隐藏本来就是目的）。此容器是格式 2：即使有这样的分区，新建隐藏分区现在也不会覆盖它。它保持原样，仍可用自己的密码打开，新分区与它各自独立。但用此密码看，它只是空闲空间，所以容器的空闲空间用完后，之后的会话会从最旧的开始覆盖它的数据块，其中的笔记、订单、密钥和配对将永远丢失。只有在打开了最上层分区时才继续。",
        "Warning: lethe cannot tell whether a hidden compartment already exists above the one you opened (hiding is the point). This container is format 2: if one exists, hiding does not overwrite it now. It stays and still opens with its own passphrase; the new compartment is a separate one. But to this passphrase its blocks look like free space: once the container's free space is used up, later sessions overwrite them, oldest first, and then its notes, orders, keys and pairing are lost for good. Only continue if you opened your highest compartment.",
    ],
    CliHideConfirm => [
        "계속하려면 \"네\"를 입력하세요(다른 입력은 중단):",
        "要继续请输入“是”（其他输入则停止）：",
        "Type \"yes\" to continue (anything else stops):",
    ],
    CliHideStopped => ["중단했습니다. 아무것도 바꾸지 않았습니다.", "已停止。没有做任何更改。", "Stopped. Nothing was changed."],
    CliHideNeedsYes => [
        "확인을 물을 터미널이 없습니다. 스크립트에서는 `lethe hide --help`를 읽은 뒤 --yes를 붙이세요. 아무것도 바꾸지 않았습니다.",
        "没有可以询问确认的终端。在脚本中，请先阅读 `lethe hide --help`，再加上 --yes。没有做任何更改。",
        "There is no terminal to ask for confirmation. In a script, read `lethe hide --help`, then add --yes. Nothing was changed.",
    ],
}
