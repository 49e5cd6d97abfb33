// The test page: jazz-tools and cojson resolve from ../node_modules (interop/package.json pins them).
import { fileURLToPath } from 'node:url'

export default {
  root: fileURLToPath(new URL('./page', import.meta.url)),
  base: './',
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 5000
  }
}
