// Photos are shrunk on the phone before they are stored: longest side at most 1600 px, JPEG.
export const MAX_SIDE = 1600;
const QUALITY = 0.82;

// Size that fits within max×max keeping the aspect ratio; never enlarges.
export function fitWithin(width, height, max = MAX_SIDE) {
  const scale = Math.min(1, max / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

function canvasFor(width, height) {
  if (typeof OffscreenCanvas === "function") return new OffscreenCanvas(width, height);
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  return canvas;
}

function toJpeg(canvas) {
  if (canvas.convertToBlob) return canvas.convertToBlob({ type: "image/jpeg", quality: QUALITY });
  return new Promise((resolve, reject) => canvas.toBlob(
    (blob) => (blob ? resolve(blob) : reject(new Error("toBlob failed"))), "image/jpeg", QUALITY));
}

// A File/Blob of any image type the browser can decode → a JPEG Blob plus its size.
export async function downscale(file) {
  const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  try {
    const { width, height } = fitWithin(bitmap.width, bitmap.height);
    const canvas = canvasFor(width, height);
    const context = canvas.getContext("2d");
    context.fillStyle = "#fff"; // transparent PNGs become white, not black, in a JPEG
    context.fillRect(0, 0, width, height);
    context.drawImage(bitmap, 0, 0, width, height);
    return { blob: await toJpeg(canvas), width, height };
  } finally {
    bitmap.close();
  }
}
