//! The notes and files screen.

messages! {
    Notes;
    // ---- Notes and files
    KindNote => ["메모", "笔记", "note"],
    KindFile => ["파일", "文件", "file"],
    ColName => ["이름", "名称", "Name"],
    ColKind => ["종류", "类型", "Kind"],
    ColSize => ["크기", "大小", "Size"],
    ColDate => ["날짜 (UTC)", "日期 (UTC)", "Date (UTC)"],
    ConfirmErase => [
        "'{0}'을(를) 영원히 지울까요? 되살릴 수 없습니다.",
        "永久删除“{0}”？删除后无法恢复。",
        "Erase '{0}' for ever? It cannot be brought back.",
    ],
    FileInfo => [
        "파일 · {0} · {1}\n\n화면에 보여 주지 않습니다. e 키로 내보내세요.",
        "文件 · {0} · {1}\n\n不在屏幕上显示。按 e 导出。",
        "File · {0} · {1}\n\nNot shown on screen. Press e to export it.",
    ],
    FieldTitle => ["제목 (없으면 첫 줄)", "标题（留空则用第一行）", "Title (empty: the first line)"],
    FieldNoteText => ["내용", "内容", "Text"],
    FieldPath => ["가져올 파일의 경로", "要导入的文件路径", "Path of the file to import"],
    FieldNameOptional => ["안에서 쓸 이름 (없으면 파일 이름)", "保存的名称（留空则用文件名）", "Name inside (empty: the file's name)"],
    ShredSource => ["가져온 뒤 원본 파일을 덮어쓰고 지우기", "导入后覆盖并删除原文件", "Overwrite and delete the original after importing"],
    ShredExplain => [
        "원본이 남아 있으면 휴대폰을 검사할 때 찾을 수 있습니다. 원본을 지우는 것을 권합니다.",
        "原文件若留在手机上，检查时可被找到。建议删除原文件。",
        "An original left on the phone can be found when it is examined. Deleting it is advised.",
    ],
    FieldExportPath => ["내보낼 곳 (새 파일 경로)", "导出到（新文件路径）", "Export to (path of a new file)"],
    ExportWarning => [
        "내보낸 파일은 보관함 밖에 있어 보호되지 않습니다. 다 쓰면 지우세요.",
        "导出的文件在保险箱之外，不受保护。用完请删除。",
        "The exported copy is outside the container and not protected. Delete it when done.",
    ],
    ErrEmptyNote => ["내용이 비어 있습니다.", "内容为空。", "The note is empty."],
    Saving => ["저장하는 중", "正在保存", "Saving"],
    NoteSaved => ["저장했습니다.", "已保存。", "Saved."],
    Importing => ["가져오는 중", "正在导入", "Importing"],
    Imported => ["가져왔습니다.", "已导入。", "Imported."],
    // After a write that went over more than one session (format 2, a hidden compartment), as
    // `lethe add` says it: {0} is what was done, {1} the number of sessions.
    OverSessions => [
        "{0} 세션 {1}개에 걸쳐 저장했습니다: 보관함의 두 사본을 비교하는 사람에게는 보관함을 {1}번 연 것처럼 보입니다.",
        "{0} 分 {1} 个会话存入：在对比容器两份副本的人看来，这就像打开了容器 {1} 次。",
        "{0} Stored over {1} sessions: to someone comparing two copies of the container this looks like opening it {1} times.",
    ],
    Exporting => ["내보내는 중", "正在导出", "Exporting"],
    // Said each time the app writes a file outside the container, as the command line says it.
    Exported => [
        "{0}(으)로 내보냈습니다. 이 평문 파일은 컨테이너 밖에 있고 본인만 읽을 수 있습니다. 더 필요 없으면 지우세요: lethe shred {0}",
        "已导出到 {0}。这个明文文件位于容器之外，仅您可读。不再需要时请删除：lethe shred {0}",
        "Exported to {0}. This plain-text file is outside the container, readable only by you. When you no longer need it, remove it with: lethe shred {0}",
    ],
    SavedSealed => [
        "{0}에 저장했습니다. 봉인된 파일이지만 컨테이너 밖에 있습니다(본인만 읽을 수 있음). 더 필요 없으면 지우세요: lethe shred {0}",
        "已保存到 {0}。文件已加密，但位于容器之外（仅您可读）。不再需要时请删除：lethe shred {0}",
        "Saved to {0}. It is sealed, but outside the container (readable only by you). When you no longer need it, remove it with: lethe shred {0}",
    ],
    Erasing => ["지우는 중", "正在删除", "Erasing"],
    Erased => ["지웠습니다. 되살릴 수 없습니다.", "已删除，无法恢复。", "Erased; it cannot be recovered."],
}
