import { defineConfig } from 'vite';

// The dashboard is served by iot-jobs itself at /ui/ (same origin as the API, so no CORS).
export default defineConfig({
  root: import.meta.dirname,
  base: '/ui/',
  logLevel: 'warn',
  build: {
    outDir: '../dist/ui',
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
    chunkSizeWarningLimit: 600,
  },
});
