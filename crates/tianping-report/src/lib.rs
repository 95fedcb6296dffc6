//! Tianping's reports. For now the charts (SVG, drawn by hand so that the web pages and the
//! printed reports show the same pictures without a chart library).

pub mod charts;
