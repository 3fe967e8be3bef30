// Draws the app icon (a white heart on the station's red, maskable-safe) as a PNG with
// no dependencies: raw RGBA rows, deflated, in the three chunks a PNG needs.
import { deflateSync } from "node:zlib";

const RED = [198, 40, 40];
const WHITE = [255, 255, 255];

export function drawIcon(size) {
  const rows = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x++) {
      const [r, g, b] = inHeart(x / size, y / size) ? WHITE : RED;
      row.set([r, g, b, 255], 1 + x * 4);
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(Buffer.concat(rows))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

// The heart curve (x² + y² − 1)³ − x²y³ ≤ 0, scaled into the middle 60% (the maskable
// safe zone) of the square.
function inHeart(u, v) {
  const x = (u - 0.5) * 3.6;
  const y = (0.45 - v) * 3.6;
  const a = x * x + y * y - 1;
  return a * a * a - x * x * y * y * y <= 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function crc32(bytes) {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
