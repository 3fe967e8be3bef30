use super::*;

fn fields(records: &[Record]) -> Vec<(usize, Vec<&str>)> {
    records
        .iter()
        .map(|r| (r.line, r.fields.iter().map(String::as_str).collect()))
        .collect()
}

#[test]
fn utf8_with_and_without_bom() {
    let plain = read_table("标题,收集人\n路由器,王芳\n".as_bytes()).unwrap();
    let bom = read_table("\u{feff}标题,收集人\r\n路由器,王芳\r\n".as_bytes()).unwrap();
    assert_eq!(plain, bom);
    assert_eq!(
        fields(&plain),
        vec![(1, vec!["标题", "收集人"]), (2, vec!["路由器", "王芳"])]
    );
}

#[test]
fn gb18030_as_excel_on_chinese_windows_saves_it() {
    let text = "标题,收集人,小区\r\n楼道灯坏了,李明,幸福里\r\n";
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(text);
    assert!(!unmappable);
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the test needs non-UTF-8 bytes"
    );
    let rows = read_table(&bytes).unwrap();
    assert_eq!(
        fields(&rows),
        vec![
            (1, vec!["标题", "收集人", "小区"]),
            (2, vec!["楼道灯坏了", "李明", "幸福里"])
        ]
    );
}

#[test]
fn quoted_fields_blank_lines_and_line_numbers() {
    let text = "h1,h2\n\"two\nlines\",\"a, b\"\n\n,\nlast,\"say \"\"hi\"\"\"\n";
    let rows = read_table(text.as_bytes()).unwrap();
    assert_eq!(
        fields(&rows),
        vec![
            (1, vec!["h1", "h2"]),
            (2, vec!["two\nlines", "a, b"]),
            (6, vec!["last", "say \"hi\""]),
        ]
    );
}

#[test]
fn xlsx_first_sheet_with_numbers_and_dates() {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "姓名").unwrap();
    sheet.write_string(0, 1, "电话").unwrap();
    sheet.write_string(0, 2, "日期").unwrap();
    sheet.write_string(1, 0, "张伟").unwrap();
    sheet.write_number(1, 1, 13800138000.0).unwrap();
    let day = rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 3, 8).unwrap();
    let format = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    sheet
        .write_datetime_with_format(1, 2, &day, &format)
        .unwrap();
    sheet.write_string(3, 0, "李娜").unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let rows = read_table(&bytes).unwrap();
    assert_eq!(rows[0].fields, vec!["姓名", "电话", "日期"]);
    assert_eq!(rows[1].fields, vec!["张伟", "13800138000", "2026-03-08"]);
    assert_eq!(
        rows[2].line, 4,
        "blank row 3 skipped, Excel's row number kept"
    );
    assert_eq!(rows[2].fields[0], "李娜");
}

#[test]
fn bad_files_are_refused_with_a_reason() {
    assert_eq!(read_table(b""), Err(TableError::Empty));
    assert_eq!(read_table(b"\n\n ,\n"), Err(TableError::Empty));
    assert!(matches!(
        read_table(b"PK\x03\x04not really a zip"),
        Err(TableError::Xlsx(_))
    ));
    let huge = vec![b'a'; MAX_FILE_BYTES + 1];
    assert_eq!(read_table(&huge), Err(TableError::TooLarge));
}
