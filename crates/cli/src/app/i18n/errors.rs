//! Errors of the container, the notes and the forms.

messages! {
    Errors;
    // ---- Errors
    ErrCannotOpen => [
        "열 수 없습니다. 비밀번호를 확인하세요.",
        "无法打开。请检查密码。",
        "Cannot open. Check the passphrase.",
    ],
    ErrInUse => [
        "다른 프로그램이 이 파일을 쓰고 있습니다. 그것을 먼저 닫으세요.",
        "另一个程序正在使用此文件。请先关闭它。",
        "Another program has this file open. Close it first.",
    ],
    ErrFull => [
        "공간이 모자랍니다 ({0} KiB 필요, {1} KiB 남음). 아무것도 바뀌지 않았습니다.",
        "空间不足（需要 {0} KiB，剩余 {1} KiB）。未做任何更改。",
        "Not enough space ({0} KiB needed, {1} KiB free). Nothing was changed.",
    ],
    ErrNoSuchItem => ["{0} 항목이 없습니다.", "没有项目 {0}。", "There is no item {0}."],
    ErrItemDamaged => [
        "{0} 항목이 손상되었습니다. 다른 항목은 괜찮습니다.",
        "项目 {0} 已损坏。其他项目不受影响。",
        "Item {0} is damaged. Other items are not affected.",
    ],
    ErrIndexDamaged => ["이 칸의 목록이 손상되었습니다.", "此分区的目录已损坏。", "This compartment's index is damaged."],
    ErrNotContainer => [
        "이 파일은 온전한 보관함이 아닙니다 (잘렸거나 다른 파일).",
        "此文件不是完整的保险箱（被截断或是其他文件）。",
        "This file is not a whole container (truncated, or another file).",
    ],
    ErrNoFreeCompartment => ["더 만들 칸이 없습니다 (최대 8개).", "没有空闲分区（最多 8 个）。", "No compartment left (8 at most)."],
    // Format 2 `hide`: none of the 16 link positions of the new passphrase is free; {0} is the
    // percentage of blocks in use (items or noise of earlier sessions).
    ErrNoLinkPosition => [
        "새 칸을 둘 자리가 없습니다: 이 새 비밀번호가 주는 16개 자리가 모두 쓰이고 있습니다(보관함 블록의 {0}%가 항목이나 이전 세션의 잡음입니다). 아무것도 바꾸지 않았습니다. 새 칸에 다른 비밀번호를 써서 다시 해 보세요. 계속 실패하면 거의 모든 블록이 쓰이고 있는 것이니, 새 보관함에 숨은 칸을 만드세요.",
        "没有位置放新分区：此新密码给出的 16 个位置都已被占用（容器中 {0}% 的数据块存有条目或之前会话的噪声）。没有做任何更改。请为新分区换一个密码再试。如果一直失败，说明几乎所有数据块都已被占用：请在新容器中新建隐藏分区。",
        "No place for the new compartment: all 16 positions this new passphrase gives are in use ({0}% of the container's blocks hold items or the noise of earlier sessions). Nothing was changed. Try again with another passphrase for the new compartment. If it keeps failing, nearly every block is in use: make the hidden compartment in a new container.",
    ],
    ErrPassphraseUsed => [
        "그 비밀번호는 이미 다른 칸을 엽니다. 다른 것을 고르세요.",
        "该密码已能打开一个分区。请换一个。",
        "That passphrase already opens a compartment. Choose another.",
    ],
    ErrTooLarge => ["너무 깁니다 (이름이나 목록).", "太长了（名称或目录）。", "Too large (a name or the index)."],
    ErrEmptyPassphrase => ["비밀번호가 비어 있습니다.", "密码为空。", "The passphrase is empty."],
    ErrFileNotFound => ["그런 파일이 없습니다.", "文件不存在。", "No such file."],
    ErrPartialLeft => [
        "{0} 끝나지 않은 파일을 지울 수 없었습니다. 이렇게 지우세요: lethe shred {1}",
        "{0} 未完成的文件无法删除。请这样删除：lethe shred {1}",
        "{0} The unfinished file could not be removed; remove it with: lethe shred {1}",
    ],
    ErrNotAFile => ["보통 파일이 아닙니다.", "不是普通文件。", "Not a regular file."],
    ErrNoQrInPicture => [
        "그림에서 QR 코드를 읽지 못했습니다. 코드 전체가 선명하게 나오게 다시 찍으세요. 아무것도 바뀌지 않았습니다.",
        "图片里读不到二维码。请让整个码清楚地入镜后重拍。什么都没有改变。",
        "No QR code could be read in the picture. Take it again with the whole code sharp. Nothing was changed.",
    ],
    ErrBadPicture => [
        "그림 파일이 손상되었거나 너무 큽니다. 아무것도 바뀌지 않았습니다.",
        "图片文件已损坏或太大。什么都没有改变。",
        "The picture file is damaged or too large. Nothing was changed.",
    ],
    ErrPermission => ["권한이 없습니다.", "没有权限。", "Permission denied."],
    ErrFileExists => [
        "그 파일이 이미 있습니다. 이 앱은 파일을 덮어쓰지 않습니다.",
        "文件已存在。本应用不会覆盖文件。",
        "That file exists already; this app does not overwrite files.",
    ],
    ErrIo => ["읽거나 쓰지 못했습니다: {0}", "读写失败：{0}", "Could not read or write: {0}"],
    ErrOther => ["오류: {0}", "错误：{0}", "Error: {0}"],
    ErrInternal => [
        "내부 오류입니다. 다시 열어 주세요.",
        "内部错误。请重新打开。",
        "Internal error. Please open again.",
    ],
    Cancelled => ["취소했습니다.", "已取消。", "Cancelled."],
    ErrPhotoTooLarge => [
        "사진이나 동영상이 너무 큽니다 (최대 {0} MiB).",
        "照片或视频太大（最多 {0} MiB）。",
        "The photo or video is too large (at most {0} MiB).",
    ],
    ErrNotJpeg => [
        "사진(JPEG, PNG)이나 동영상(MP4, MOV)이 아닙니다. 메타데이터(장소, 시간, 휴대폰)는 이런 파일에서만 지웁니다; 이 파일을 그대로 보내려면 '메타데이터째 보내기'를 켜세요.",
        "不是照片（JPEG、PNG）或视频（MP4、MOV）。只有这些文件的元数据（地点、时间、手机）会被删除；要原样发送此文件，请打开“连同元数据发送”。",
        "Not a photo (JPEG, PNG) or a video (MP4, MOV). Metadata (place, time, phone) is removed only from those; to send this file as it is, turn on 'Send with its metadata'.",
    ],
    KeepMetadata => ["메타데이터째 보내기 (그 밖의 파일)", "连同元数据发送（其他文件）", "Send with its metadata (other files)"],
    ErrContainerChanged => [
        "다른 프로그램이 보관함을 바꿨습니다. 잠갔습니다; 그 뒤에 입력한 것은 저장되지 않았습니다.",
        "另一个程序更改了保险箱。已锁定；之后输入的内容没有保存。",
        "The container was changed by another program. Locked; nothing typed after that was saved.",
    ],
}
