//! The SQLite way of importing files: the cases are written while their file is still being
//! read. The checks and the plan are the backend-neutral ones of [`crate::import`].

use std::path::PathBuf;

use tianping_domain::CaseRecord;
use tianping_exchange::{FileError, Progress};

use super::SqliteStore;
use super::write::ImportTransaction;
use crate::import::{CrossChecks, ImportError, ImportOptions, ImportReport, kind_order, plan};

/// From this size on (all files together) an import counts as large (see
/// `SqliteStore::import_transaction`): about 50,000 cases.
const LARGE_IMPORT_BYTES: u64 = 8 << 20;

impl SqliteStore {
    /// Read, check and store `paths` in one go ([`crate::ImportStore::import_files`]).
    ///
    /// The cases are written while their file is still being read: the files are read on a
    /// second thread, which hands over the valid case rows in chunks, and this thread upserts
    /// them inside the import's transaction. Reading and writing a million cases take about as
    /// long as each other, so this nearly halves the import. The checks and the outcome are those
    /// of [`crate::import::import_parsed`]: when everything is read, the same checks run on the
    /// same records, and the import is committed or rolled back as a whole. Should the checks
    /// across files reject a case row that was written already (only possible with several case
    /// files), the streamed rows are rolled back to a savepoint and the checked batch is written
    /// instead.
    pub(crate) async fn import_files_streaming(
        &self,
        paths: &[PathBuf],
        options: &ImportOptions,
        progress: Option<&Progress<'_>>,
    ) -> Result<ImportReport, ImportError> {
        let bytes: u64 = paths
            .iter()
            .filter_map(|p| std::fs::metadata(p).ok())
            .map(|m| m.len())
            .sum();
        self.import_transaction(bytes >= LARGE_IMPORT_BYTES, |tx| {
            std::thread::scope(|scope| write_while_reading(scope, tx, paths, options, progress))
        })
        .await
    }
}

fn write_while_reading<'scope>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    tx: &mut ImportTransaction<'_>,
    paths: &'scope [PathBuf],
    options: &'scope ImportOptions,
    progress: Option<&'scope Progress<'scope>>,
) -> Result<ImportReport, ImportError> {
    // A few chunks in flight: the reader may run ahead a little, not hold the file twice.
    let (send, receive) = std::sync::mpsc::sync_channel::<(usize, Vec<(usize, CaseRecord)>)>(4);
    // Written chunks of a single file go back to the reader, which frees them: the writer is
    // the slower side, and memory is freed fastest by the thread that allocated it.
    let (give_back, written) = std::sync::mpsc::channel::<Vec<(usize, CaseRecord)>>();
    // With a case book to build, a third thread follows the written rows and then frees them:
    // reading and checking the file, writing it and deriving each case's deadline take about
    // as long as each other, so two threads would wait for the one doing two of them.
    let (written, following_stream) = match options.case_book.clone() {
        Some(book) => {
            let following = scope.spawn(move || {
                for chunk in written {
                    book.add_cases(chunk.iter().map(|(_, case)| case));
                }
            });
            (None, Some(following))
        }
        None => (Some(written), None),
    };
    let reader = scope.spawn(move || {
        let result = paths
            .iter()
            .enumerate()
            .map(|(i, path)| {
                // A send fails only when the writer gave up; the read then just finishes.
                let mut sink = |chunk| {
                    if let Some(written) = &written {
                        written.try_iter().for_each(drop);
                    }
                    drop(send.send((i, chunk)));
                };
                let file = tianping_exchange::read_file_streaming(
                    path,
                    options.kind,
                    options.layout,
                    progress,
                    Some(&mut sink),
                )?;
                Ok((path.clone(), file))
            })
            .collect::<Result<Vec<_>, FileError>>();
        drop(send);
        if let Some(written) = written {
            written.iter().for_each(drop);
        }
        result
    });

    let mut cases = tx.cases()?;
    tx.savepoint()?;
    // The streamed cases per file, kept for the checks across files when there are other
    // files; a single file's are dropped once written (their memory then serves the next).
    let keep = paths.len() > 1;
    let mut streamed: Vec<Vec<Vec<(usize, CaseRecord)>>> = vec![Vec::new(); paths.len()];
    let mut streamed_rows = vec![0; paths.len()];
    for (i, chunk) in receive {
        cases.write(chunk.iter().map(|(_, case)| case))?;
        streamed_rows[i] += chunk.len();
        if keep {
            streamed[i].push(chunk);
        } else {
            drop(give_back.send(chunk));
        }
    }
    drop(give_back);
    let files = reader.join().expect("the reading thread does not panic")?;
    let case_counts = cases.finish()?;

    // Courts first, then cases, then events, as `import_parsed` orders them.
    let mut files: Vec<_> = files
        .into_iter()
        .zip(streamed)
        .zip(streamed_rows)
        .map(|((file, chunks), rows)| (file, chunks, rows))
        .collect();
    files.sort_by_key(|((_, f), _, _)| kind_order(f.kind));
    let mut streamed = Vec::with_capacity(files.len());
    let mut streamed_rows = Vec::with_capacity(files.len());
    let mut files: Vec<_> = files
        .into_iter()
        .map(|(file, chunks, rows)| {
            streamed.push(chunks);
            streamed_rows.push(rows);
            file
        })
        .collect();
    let checks = CrossChecks::new(&files, &streamed);
    let in_store = tx.existing_case_numbers(&checks.event_cases_to_look_up(&files))?;
    let extra = checks.finish(&files, &in_store);
    // The checks across files reject only case rows that were streamed.
    let rewrite = (0..files.len()).any(|i| streamed_rows[i] > 0 && !extra[i].is_empty());
    let mut following = None;
    if rewrite {
        assert!(keep, "a single file is never rejected across files");
        for ((_, file), chunks) in files.iter_mut().zip(streamed) {
            if !chunks.is_empty() {
                file.cases = chunks.concat();
            }
        }
    } else if let Some(book) = options.case_book.clone()
        && keep
    {
        // Several files: the written cases were kept for the checks; the case book follows
        // them now, on the other core, while the plan is made.
        following = Some(scope.spawn(move || {
            for chunk in streamed.iter().flatten() {
                book.add_cases(chunk.iter().map(|(_, case)| case));
            }
        }));
    } else {
        // A million records take a tenth of a second to free: meanwhile, on the other core.
        scope.spawn(move || drop(streamed));
    }
    let plan = plan(&mut files, &extra, options)?;
    for following in [following_stream, following].into_iter().flatten() {
        following.join().expect("the case book does not panic");
    }
    if let Some(book) = &options.case_book {
        if rewrite {
            // The rows written are the checked batch, not the streamed ones: build anew.
            book.abandon();
        } else {
            book.complete(&plan.batch.cases, &plan.batch.events);
        }
    }
    let outcome = if rewrite {
        tx.rollback_to_savepoint()?;
        tx.write(&plan.batch, None)?
    } else {
        tx.write(&plan.batch, Some(case_counts))?
    };
    Ok(plan.report(outcome))
}
