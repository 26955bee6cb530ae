import { render } from 'preact';
import { App } from './app.tsx';
import './styles.css';

const root = document.getElementById('app')!;
// The page's "Loading..." placeholder is static HTML: Preact would render beside it, not over it.
root.textContent = '';
render(<App />, root);
