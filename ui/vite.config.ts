import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// Tauri serves the built files from its own root and runs `vite` as the dev server.
export default defineConfig({
  plugins: [react()],
  clearScreen: false, // keep Rust/Tauri output visible in the same terminal
  server: {
    port: 1420,
    strictPort: true, // Tauri's devUrl points at this exact port
  },
  build: {
    outDir: "dist",
    target: "safari15", // WebKitGTK on Linux, WKWebView on macOS
    sourcemap: false,
  },
});
