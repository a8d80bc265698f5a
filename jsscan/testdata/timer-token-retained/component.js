// JSX in a .js file: scanned through esbuild's JSX loader.
import { Component } from 'react';

export class Clock extends Component {
  componentDidMount() {
    this.timer = setTimeout(() => { // want LEAK001 "this.timer"
      this.setState({ now: Date.now() });
    }, 1000);
  }
  render() {
    return <span>{this.state.now}</span>;
  }
}
