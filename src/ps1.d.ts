// PowerShell scripts are bundled as fixed text (esbuild loader 'text').
declare module '*.ps1' {
  const text: string;
  export default text;
}
