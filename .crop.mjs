// Crop a PNG with sharp (already a project dependency).
import sharp from 'sharp'
const [input, output, top, height] = process.argv.slice(2)
const meta = await sharp(input).metadata()
await sharp(input).extract({ left: 0, top: Number(top), width: meta.width, height: Math.min(Number(height), meta.height - Number(top)) }).toFile(output)
