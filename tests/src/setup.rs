//! First setup and imports as tests drive them: the setup code from the data directory,
//! `POST /api/v1/setup`, and the files a coordinator uploads (a GB18030 CSV of wish cards
//! as Excel on a Chinese Windows saves it, an XLSX list of people).

use std::path::Path;

use serde_json::{json, Value};

use crate::http::{request, request_bytes, Response};
use crate::TestServer;

/// The setup code `serve` wrote into the data directory of a server with no community.
pub fn read_setup_code(data_dir: &Path) -> anyhow::Result<String> {
    let text = std::fs::read_to_string(data_dir.join("setup-code"))?;
    Ok(text.trim().to_owned())
}

/// The setup form: community 和谐社区 of 和平街道, the stations named, the first
/// coordinator 王芳.
pub fn setup_body(code: &str, stations: &[&str]) -> Value {
    let stations: Vec<Value> = stations
        .iter()
        .map(|name| json!({ "name": name, "kind": "station", "address": "和平路1号" }))
        .collect();
    json!({
        "code": code,
        "community": { "name": "和谐社区", "district": "和平街道" },
        "stations": stations,
        "person": "王芳",
        "role": "coordinator",
        "device_name": "测试浏览器",
    })
}

/// `POST /api/v1/setup`.
pub fn set_up(server: &TestServer, body: &Value) -> anyhow::Result<Response> {
    request(&server.addr, "POST", "/api/v1/setup", None, Some(body))
}

/// Uploads a file to `path` (an import endpoint with its query).
pub fn upload(
    server: &TestServer,
    path: &str,
    token: &str,
    file: &[u8],
) -> anyhow::Result<Response> {
    request_bytes(
        &server.addr,
        "POST",
        path,
        Some(token),
        Some("application/octet-stream"),
        file,
    )
}

/// A CSV of `count` paper wish cards at `station` collected by `collector`, encoded in
/// GB18030; every third card has the resident's contact (with consent).
pub fn wish_cards_gb18030(count: usize, station: &str, collector: &str) -> Vec<u8> {
    let mut text =
        String::from("驿站,标题,内容,小区,楼栋,紧急程度,居民姓名,电话,同意联系,收集人\r\n");
    for i in 1..=count {
        let contact = if i % 3 == 0 {
            format!("居民{i},1390000{i:04},是")
        } else {
            ",,否".to_owned()
        };
        text.push_str(&format!(
            "{station},心愿卡{i:02}：楼道灯不亮,晚上回家看不清台阶,幸福里,{}栋,普通,{contact},{collector}\r\n",
            i % 9 + 1
        ));
    }
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(&text);
    assert!(!unmappable, "every character has a GB18030 code");
    bytes.into_owned()
}

/// Twenty distinct names for a people list (赵晓红, 钱晓红, …, 陈建军).
pub fn twenty_names() -> Vec<String> {
    let family = ["赵", "钱", "孙", "李", "周", "吴", "郑", "王", "冯", "陈"];
    let given = ["晓红", "建军"];
    given
        .iter()
        .flat_map(|g| family.iter().map(move |f| format!("{f}{g}")))
        .collect()
}

/// An XLSX list of people: `names` with kinds, modules, party membership and stations.
pub fn people_xlsx(names: &[String], station: &str) -> anyhow::Result<Vec<u8>> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let header = ["姓名", "类别", "模块", "技能", "党员", "驿站"];
    for (col, name) in header.iter().enumerate() {
        sheet.write_string(0, col as u16, *name)?;
    }
    let kinds = ["志愿者", "党员", "专家", "志愿者"];
    let modules = ["综合", "法律、心理", "医疗", ""];
    for (i, name) in names.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.write_string(row, 0, name)?;
        sheet.write_string(row, 1, kinds[i % kinds.len()])?;
        sheet.write_string(row, 2, modules[i % modules.len()])?;
        sheet.write_string(row, 3, "上门走访")?;
        sheet.write_string(row, 4, if i % 2 == 0 { "是" } else { "否" })?;
        sheet.write_string(row, 5, station)?;
    }
    Ok(book.save_to_buffer()?)
}
